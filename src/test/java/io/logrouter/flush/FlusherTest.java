package io.logrouter.flush;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.buffer.BacklogGate;
import io.logrouter.metrics.RouterMetrics;
import io.logrouter.testsupport.Await;
import io.logrouter.threads.RouterThreads;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The flusher's loop on in-memory fakes with an injected clock: the parker advances the clock
 * instead of sleeping, so 30 s flush intervals pass in microseconds.
 */
class FlusherTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final java.util.concurrent.atomic.AtomicInteger parks = new java.util.concurrent.atomic.AtomicInteger();
  /** Parks by the time the fake clock passed 11 s (0 before): taken on the flusher's thread, so consistent. */
  private final java.util.concurrent.atomic.AtomicInteger parksBy11s = new java.util.concurrent.atomic.AtomicInteger();
  private final FlusherFakes.Source source = new FlusherFakes.Source();
  private final FlusherFakes.Sink sink = new FlusherFakes.Sink();
  private Flusher flusher;

  /** Documents the parker appends per fake millisecond while the clock is before 11 s (0: none). */
  private volatile int appendPerMilli;

  private Flusher start(Duration stallTimeout) {
    return start(stallTimeout, 10_000);
  }

  private Flusher start(Duration stallTimeout, long maxBytes) {
    flusher = Flusher.builder()
        .source(source)
        .sink(sink)
        .gate(BacklogGate.unlimited())
        .policy(new FlushPolicy(maxBytes, Duration.ofSeconds(30)))
        .breaker(new CircuitBreaker(Duration.ofMillis(200), Duration.ofSeconds(30), () -> 0.5))
        .metrics(new RouterMetrics())
        .nanoClock(nanos::get)
        .parker(n -> {
          int parked = parks.incrementAndGet();
          if (nanos.addAndGet(n) > TimeUnit.SECONDS.toNanos(11)) {
            parksBy11s.compareAndSet(0, parked);
          } else if (appendPerMilli > 0) {
            source.add((int) Math.max(1, appendPerMilli * n / 1_000_000));
          }
          Thread.onSpinWait();
        })
        .stallTimeout(stallTimeout)
        .build();
    flusher.start();
    return flusher;
  }

  @AfterEach
  void stop() throws InterruptedException {
    sink.hang.set(null);
    flusher.stop(TimeUnit.SECONDS.toNanos(5));
  }

  @Test
  void everyDocumentIsCommittedOnceByTheTimeTrigger() {
    source.add(250);
    start(Duration.ofMinutes(2));
    Await.until("all rows", Duration.ofSeconds(10), () -> sink.rows().size() == 250);
    assertExactlyOnce(250);
  }

  @Test
  void aReaderThatThrowsRestartsTheLoopFromTheCommittedIndexAndLosesNothing() {
    long failuresBefore = RouterThreads.failures();
    source.add(300);
    source.throwOnCall.set(3);
    start(Duration.ofMinutes(2));
    Await.until("all rows", Duration.ofSeconds(10), () -> sink.rows().size() >= 300);
    assertExactlyOnce(300);
    assertTrue(RouterThreads.failures() > failuresBefore, "the restart is counted");
    assertTrue(flusher.isRunning(), "the flusher runs on");
  }

  @Test
  void aSinkThatThrowsAnUnexpectedErrorRestartsTheLoopAndLosesNothing() {
    source.add(120);
    sink.throwOnce.set(new IllegalStateException("injected: a bug in the sink"));
    start(Duration.ofMinutes(2));
    Await.until("all rows", Duration.ofSeconds(10), () -> sink.rows().size() >= 120);
    assertExactlyOnce(120);
    source.add(5);
    Await.until("new rows after the restart", Duration.ofSeconds(10), () -> sink.rows().size() >= 125);
    assertExactlyOnce(125);
  }

  @Test
  void aHangingSinkShowsAsStalledAndClearsWhenItRecovers() {
    CountDownLatch release = new CountDownLatch(1);
    sink.hang.set(release);
    source.add(10);
    start(Duration.ofSeconds(90));
    assertNull(flusher.stallReason(), "nothing waited yet");
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(31)); // the interval passes: the flush starts and hangs
    Await.until("flush in progress", Duration.ofSeconds(5), () -> sink.hang.get() != null && source.calls.get() > 0);
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(91));
    String reason = flusher.stallReason();
    assertTrue(reason != null && reason.contains("flusher stalled"), String.valueOf(reason));
    sink.hang.set(null);
    release.countDown();
    Await.until("committed", Duration.ofSeconds(10), () -> sink.rows().size() == 10);
    Await.until("stall clears", Duration.ofSeconds(5), () -> flusher.stallReason() == null);
  }

  @Test
  void anIdleFlusherIsNeverStalled() {
    start(Duration.ofSeconds(5));
    nanos.addAndGet(TimeUnit.MINUTES.toNanos(10));
    Await.until("idle loop ran", Duration.ofSeconds(5), () -> parks.get() > 10);
    assertNull(flusher.stallReason());
  }

  /**
   * An idle flusher backs off to one look every 32 ms instead of every 2 ms (an idle router used ~1.5 % of a
   * core on it), and documents appended to the idle queue are still committed.
   */
  @Test
  void anIdleFlusherLooksLessOftenAndStillTakesNewDocuments() {
    start(Duration.ofMinutes(2));
    // The fake clock moves only by parks, as fast as the thread loops: count the parks that took it from 1 s to 11 s.
    Await.until("10 s of idle loop", Duration.ofSeconds(10), () -> parksBy11s.get() > 0);
    int looks = parksBy11s.get();
    assertTrue(looks <= 10_000 / 25, looks + " parks in 10 s idle (one every 2 ms was 5,000)");
    source.add(40);
    Await.until("rows after the idle spell", Duration.ofSeconds(10), () -> sink.rows().size() == 40);
    assertExactlyOnce(40);
  }

  /** The same with events waiting out flush.interval (a quiet router's usual state): they are still flushed. */
  @Test
  void aQuietFlusherWithEventsWaitingLooksLessOftenAndFlushesThemAtTheInterval() {
    source.add(3);
    start(Duration.ofMinutes(2));
    Await.until("10 s of quiet loop", Duration.ofSeconds(10), () -> parksBy11s.get() > 0);
    int looks = parksBy11s.get();
    assertTrue(looks <= 10_000 / 25, looks + " parks in 10 s (one every 2 ms was 5,000)");
    Await.until("flushed at the interval", Duration.ofSeconds(10), () -> sink.rows().size() == 3);
    assertExactlyOnce(3);
  }

  /**
   * At 1,000 documents a second (100 bytes each) against a 1 MB size trigger the flusher looks about every 32 ms,
   * not every 2 ms (~820 wake-ups a second at 1,000 requests a second, on the cores the requests need), and
   * every document is committed once.
   */
  @Test
  void aFlusherWithDocumentsTricklingInLooksLessOftenAndCommitsThemAll() {
    appendPerMilli = 1;
    start(Duration.ofMinutes(2), 1_000_000);
    Await.until("10 s of trickle", Duration.ofSeconds(20), () -> parksBy11s.get() > 0);
    int looks = parksBy11s.get();
    assertTrue(looks <= 10_000 / 20, looks + " parks in 10 s of trickle (one every 2 ms was 5,000)");
    int appended = source.size();
    assertTrue(appended >= 9_000, appended + " documents appended in 10 s");
    Await.until("all flushed", Duration.ofSeconds(20), () -> sink.rows().size() == appended);
    assertExactlyOnce(appended);
  }

  /**
   * While batch N loads (the sink hangs), batch N+1 is read: one flush's worth ahead and no more.
   * Commits stay one per batch, contiguous and in order, each within flush.max.bytes plus one chunk.
   */
  @Test
  void theNextBatchIsReadWhileTheCurrentOneLoadsAndCommitsStayInOrder() {
    CountDownLatch release = new CountDownLatch(1);
    sink.hang.set(release);
    source.add(1_000); // 100 bytes each: 100 documents per 10,000-byte flush
    start(Duration.ofMinutes(2));
    Await.until("the first flush hangs", Duration.ofSeconds(5), () -> source.cursor() >= 100);
    Await.until("the next batch read during it", Duration.ofSeconds(5), () -> source.cursor() >= 200);
    sleepMillis(100); // a prefetch without a bound would read on now
    int chunkDocuments = 10_000 / 8 / 100 + 1;
    assertTrue(source.cursor() <= 200 + chunkDocuments, "read ahead: " + source.cursor() + " documents");
    assertEquals(0, sink.commits.size());
    sink.hang.set(null);
    release.countDown();
    Await.until("all rows", Duration.ofSeconds(10), () -> sink.rows().size() == 1_000);
    List<String> expected = new java.util.ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      expected.add("event " + i);
    }
    assertEquals(expected, sink.rows(), "every row once, in queue order");
    long next = 0;
    for (long[] commit : sink.commits) {
      assertEquals(next, commit[0], "commits are contiguous and in order");
      assertTrue(commit[2] <= 10_000 + chunkDocuments * 100L, "batch of " + commit[2] + " bytes");
      next = commit[1] + 1;
    }
  }

  private static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void assertExactlyOnce(int n) {
    List<String> rows = sink.rows();
    assertEquals(n, rows.size(), "rows");
    assertEquals(n, new HashSet<>(rows).size(), "no duplicates");
  }
}
