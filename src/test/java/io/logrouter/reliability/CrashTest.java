package io.logrouter.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.ExactlyOnce;
import io.logrouter.testsupport.RouterProcess;
import io.logrouter.testsupport.SeqSenders;
import io.logrouter.testsupport.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router runs as a child JVM under concurrent load and is killed with SIGKILL at random
 * moments — during appends, flushes and commits, since it flushes every 200 ms — then restarted on
 * the same queue directory. In the end every acked event is in MySQL exactly once: with one flush lane,
 * and with four (each lane its own connection, share of the queue and offsets row, killed mid-flush
 * independently of the others). {@code -Dcrash.kills=20} (scripts/crash-soak.sh) runs the long version.
 */
class CrashTest {
  private static final int KILLS = Integer.getInteger("crash.kills", 5);
  private static final long SEED = Long.getLong("crash.seed", System.nanoTime());
  private static final int THREADS = Integer.getInteger("crash.threads", 4);
  /** Most events per request; the soak raises it to reach its events/s on 2 cores. */
  private static final int BATCH = Integer.getInteger("crash.batch", 5);

  @TempDir
  Path dir;

  @Test
  void everyAckedEventIsInMysqlExactlyOnceAfterRepeatedKill9() throws Exception {
    killRepeatedly(1, "profile").close();
  }

  @Test
  void everyAckedEventIsInMysqlExactlyOnceAfterRepeatedKill9WithFourFlushLanes() throws Exception {
    try (TestDatabase db = killRepeatedly(4, "writer")) {
      assertEquals(4, db.queryLong("SELECT COUNT(*) FROM router_offsets WHERE router_id = 'crash-router' AND last_index >= 0"),
          "each of the four lanes committed its own offset");
      // Writer-made ids (db.ids=writer): one slot per lane across every restart, and in each slot the ids
      // count 0..n-1 with no gap, though kills rolled flushes back: each retry wrote the same ids.
      assertEquals(4, db.queryLong("SELECT COUNT(*) FROM logs_id_writers"), "one id slot per lane");
      assertEquals(List.of(), db.queryRows("SELECT id >> 44 AS slot, COUNT(*), MIN(id & 17592186044415),"
          + " MAX(id & 17592186044415) FROM logs GROUP BY slot HAVING MIN(id & 17592186044415) <> 0"
          + " OR MAX(id & 17592186044415) <> COUNT(*) - 1"), "slots whose ids have a gap");
    }
  }

  /** @return the database, still open for more checks */
  private TestDatabase killRepeatedly(int lanes, String dbIds) throws Exception {
    Random random = new Random(SEED);
    TestDatabase db = TestDatabase.create("crash_lanes_" + lanes);
    try {
      int port = RouterProcess.freePort();
      Map<String, String> env = new java.util.HashMap<>(Map.of(
          "LOGROUTER_HTTP_PORT", Integer.toString(port),
          "LOGROUTER_HTTP_HOST", "127.0.0.1",
          "LOGROUTER_DB_URL", db.jdbcUrl(),
          "LOGROUTER_DB_USER", db.user(),
          "LOGROUTER_DB_PASSWORD", db.password(),
          "LOGROUTER_QUEUE_DIR", dir.resolve("queue").toString(),
          "LOGROUTER_ROUTER_ID", "crash-router",
          "LOGROUTER_FLUSH_INTERVAL", "200ms",
          "LOGROUTER_FLUSH_MAX_BYTES", "64KB",
          "LOGROUTER_DISK_MIN_FREE_BYTES", "1MB"));
      env.put("LOGROUTER_FLUSH_LANES", Integer.toString(lanes));
      env.put("LOGROUTER_DB_IDS", dbIds);
      Path log = dir.resolve("router.log");
      RouterProcess router = RouterProcess.start(env, log);
      router.awaitReady(Duration.ofSeconds(60));
      BitSet acked;
      long started = System.nanoTime();
      try (SeqSenders senders = new SeqSenders("http://127.0.0.1:" + port + "/log", THREADS, BATCH)) {
        for (int kill = 0; kill < KILLS; kill++) {
          Thread.sleep(300 + random.nextInt(1_200));
          assertEquals(RouterProcess.SIGKILL_EXIT, router.kill9(), "killed, not exited");
          router = RouterProcess.start(env, log);
          router.awaitReady(Duration.ofSeconds(60));
        }
        Thread.sleep(500);
        senders.close();
        acked = senders.acked();
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("crash test (seed %d, %d lanes): %d kills in %.0f s, %d events sent, %d acked (%.0f acked events/s),"
            + " %d failed requests%n", SEED, lanes, KILLS, seconds, senders.sent(), acked.cardinality(),
            acked.cardinality() / seconds, senders.failures());
      }
      assertEquals(0, router.terminate(), "SIGTERM: final flush and exit 0\n" + router.logTail());
      ExactlyOnce.Result result = ExactlyOnce.check(db, acked);
      System.out.println("crash test result: " + result);
      assertTrue(acked.cardinality() > 0, "the senders got acks");
      assertEquals(0, result.missing(), "acked events lost: " + result);
      assertEquals(0, result.duplicated(), "events written twice: " + result);
      return db;
    } catch (Exception | AssertionError e) {
      db.close();
      throw e;
    }
  }
}
