package io.logrouter.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.Await;
import io.logrouter.testsupport.ExactlyOnce;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.SeqSenders;
import io.logrouter.testsupport.TcpProxy;
import io.logrouter.testsupport.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router reaches MySQL through a TCP proxy the test controls. Outages, and connections cut
 * around the COMMIT, end with every acked event exactly once. {@code -Doutage.seconds=60}
 * (scripts/outage-soak.sh) runs the long cut.
 */
class OutageTest {
  private static final int OUTAGE_SECONDS = Integer.getInteger("outage.seconds", 8);

  @TempDir
  Path queueDir;

  private static Map<String, String> viaProxy(TestDatabase db, TcpProxy proxy) {
    return Map.of("db.url", db.jdbcUrlThrough(proxy),
        "flush.interval", "200ms", "flush.retry.initial", "100ms", "flush.retry.max", "1s",
        "flush.max.bytes", "256KB");
  }

  @Test
  void ingestGoesOnThroughAMysqlOutageAndTheBacklogDrainsExactlyOnce() throws Exception {
    try (TestDatabase db = TestDatabase.create("outage_cut");
        TcpProxy proxy = db.startProxy();
        RouterHarness router = RouterHarness.start(db, queueDir, viaProxy(db, proxy))) {
      BitSet acked;
      try (SeqSenders senders = new SeqSenders(router.url("/log"), 3)) {
        Thread.sleep(1_000);
        proxy.cut();
        long ackedBefore = senders.acked().cardinality();
        Thread.sleep(OUTAGE_SECONDS * 1_000L);
        long ackedDuring = senders.acked().cardinality() - ackedBefore;
        assertTrue(ackedDuring > 0, "ingest goes on while MySQL is down");
        assertEquals(0, senders.failures(), "no request failed during the outage: " + senders.errors());
        long restoredAt = System.nanoTime();
        proxy.restore();
        Thread.sleep(1_000);
        senders.close();
        acked = senders.acked();
        ExactlyOnce.awaitRows(db, acked.cardinality(), System.nanoTime() + drainTimeout(acked).toNanos());
        double drainedSeconds = (System.nanoTime() - restoredAt) / 1e9;
        ExactlyOnce.Result r = ExactlyOnce.awaitAndCheck(db, acked, Duration.ofSeconds(30));
        System.out.printf("outage test: %d s cut, %d events acked during it, drained %.1f s after restore; %s%n",
            OUTAGE_SECONDS, ackedDuring, drainedSeconds, r);
        assertEquals(0, r.missing(), r.toString());
        assertEquals(0, r.duplicated(), r.toString());
      }
    }
  }

  @Test
  void commitWhoseAnswerIsLostIsResolvedFromTheOffsetNotWrittenTwice() throws Exception {
    try (TestDatabase db = TestDatabase.create("outage_commit");
        TcpProxy proxy = db.startProxy();
        RouterHarness router = RouterHarness.start(db, queueDir, Map.of("db.url", db.jdbcUrlThrough(proxy),
            "flush.retry.initial", "50ms", "flush.retry.max", "500ms"))) {
      assertEquals(0, router.flush());
      postSeqs(router, 0, 40);
      proxy.dropOnMysqlCommit(TcpProxy.KillPoint.AFTER_FORWARD); // MySQL commits; the router never hears it
      assertEquals(202, router.post("/log", "{\"message\":\"seq event\",\"seq\":40}").status());
      router.flush();
      assertEquals(1, proxy.killsFired());
      postSeqs(router, 41, 60);
      proxy.dropOnMysqlCommit(TcpProxy.KillPoint.BEFORE_FORWARD); // the commit never reaches MySQL
      router.flush();
      assertEquals(2, proxy.killsFired());
      BitSet all = new BitSet();
      all.set(0, 60);
      ExactlyOnce.Result r = ExactlyOnce.check(db, all);
      assertEquals(new ExactlyOnce.Result(60, 60, 0, 0), r);
      assertEquals(60, db.queryLong("SELECT COUNT(*) FROM logs"));
    }
  }

  /**
   * The commit's answer is lost and the database stays away, so the router cannot read the offset to
   * learn how the commit ended; it must not write the batch again once the database is back (the
   * outage run of the Java client's test once counted 30,000 duplicate rows this way).
   */
  @Test
  void commitWhoseAnswerIsLostInAnOutageIsNotWrittenAgainAfterIt() throws Exception {
    try (TestDatabase db = TestDatabase.create("outage_commit_cut");
        TcpProxy proxy = db.startProxy();
        RouterHarness router = RouterHarness.start(db, queueDir, Map.of("db.url", db.jdbcUrlThrough(proxy),
            "flush.retry.initial", "50ms", "flush.retry.max", "200ms"))) {
      assertEquals(0, router.flush());
      postSeqs(router, 0, 40);
      proxy.dropOnMysqlCommitThenCut(TcpProxy.KillPoint.AFTER_FORWARD);
      assertEquals(503, router.post("/admin/flush", "").status(), "the database went away at the commit");
      assertEquals(1, proxy.killsFired());
      Thread.sleep(1_000); // more retries fail while the database is away
      assertEquals(40, db.queryLong("SELECT COUNT(*) FROM logs"), "MySQL committed the batch; the router cannot know");
      postSeqs(router, 40, 60);
      proxy.restore();
      Await.until("a flush succeeds after the outage", Duration.ofSeconds(60),
          () -> router.post("/admin/flush", "").status() == 200);
      BitSet all = new BitSet();
      all.set(0, 60);
      assertEquals(new ExactlyOnce.Result(60, 60, 0, 0), ExactlyOnce.check(db, all));
    }
  }

  /**
   * How long the backlog may take to reach MySQL: a bound, not a speed goal (BENCHMARKS.md has the drain
   * rates). At least 90 s; a long cut can ack millions of events, and this test's small flushes
   * (flush.max.bytes 256KB) drain them at 40-60k rows/s here, so allow 10k rows/s.
   */
  private static Duration drainTimeout(BitSet acked) {
    return Duration.ofSeconds(Math.max(90, acked.cardinality() / 10_000));
  }

  private static void postSeqs(RouterHarness router, int from, int to) {
    for (int i = from; i < to; i++) {
      assertEquals(202, router.post("/log", "{\"message\":\"seq event\",\"seq\":" + i + "}").status());
    }
  }
}
