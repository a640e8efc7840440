package io.logrouter.buffer;

import io.logrouter.threads.RouterThreads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Decides whether ingest may append: refuses (503) when the un-flushed backlog passes
 * {@code queue.max.bytes} or the queue's disk falls below {@code disk.min.free.bytes}. Chronicle
 * dies with SIGBUS when a mapped write meets a full disk, so the router must stop before that.
 *
 * <p>Thread ownership: ingest threads call {@link #refusal()} (one volatile read) and
 * {@link #appended} (a striped counter, no shared lock); the flusher calls {@link #released};
 * a single daemon thread re-evaluates both limits every {@link #CHECK_PERIOD_MS}.
 */
public final class BacklogGate implements AutoCloseable {
  /**
   * Free space is read from the file system, which costs a syscall: every 50 ms keeps that off
   * the request path, and even at 100 MB/s of ingest only 5 MB can land between two checks, far
   * inside the free-disk floor.
   */
  static final long CHECK_PERIOD_MS = 50;

  private final long maxBacklogBytes;
  private final long minFreeBytes;
  private final LongSupplier freeBytes;
  private final LongAdder backlogBytes = new LongAdder();
  private final LongAdder backlogEvents = new LongAdder();
  private final ScheduledExecutorService checker;
  private volatile String refusal;

  BacklogGate(long maxBacklogBytes, long minFreeBytes, LongSupplier freeBytes, boolean startChecker) {
    this.maxBacklogBytes = maxBacklogBytes;
    this.minFreeBytes = minFreeBytes;
    this.freeBytes = freeBytes;
    this.checker = startChecker ? RouterThreads.scheduler("backlog-gate") : null;
    check();
    if (checker != null) {
      checker.scheduleWithFixedDelay(RouterThreads.guarded("backlog gate check", this::checkOrRefuse),
          CHECK_PERIOD_MS, CHECK_PERIOD_MS, TimeUnit.MILLISECONDS);
    }
  }

  public static BacklogGate forQueueDir(Path queueDir, long maxBacklogBytes, long minFreeBytes) {
    try {
      FileStore store = Files.getFileStore(queueDir);
      return new BacklogGate(maxBacklogBytes, minFreeBytes, () -> usable(store), true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the file system of " + queueDir, e);
    }
  }

  /** @return null while appends are allowed, else why not (for the 503 body) */
  public String refusal() {
    return refusal;
  }

  public void appended(long bytes, int events) {
    backlogBytes.add(bytes);
    backlogEvents.add(events);
  }

  public void released(long bytes, int events) {
    backlogBytes.add(-bytes);
    backlogEvents.add(-events);
  }

  public long backlogBytes() {
    return backlogBytes.sum();
  }

  public long backlogEvents() {
    return backlogEvents.sum();
  }

  /** Gauges the backlog only: for tests of other parts, and where no disk needs watching. */
  public static BacklogGate unlimited() {
    return new BacklogGate(Long.MAX_VALUE, 0, () -> Long.MAX_VALUE, false);
  }

  /** A check that cannot run refuses ingest (fail safe) and rethrows for the guard to log and count. */
  private void checkOrRefuse() {
    try {
      check();
    } catch (RuntimeException | Error e) {
      refusal = "backlog and free-disk check failing: " + e;
      throw e;
    }
  }

  /** Re-evaluates both limits now; also run periodically. */
  void check() {
    long backlog = backlogBytes.sum();
    long free = freeBytes.getAsLong();
    if (free < minFreeBytes) {
      refusal = "disk nearly full: " + free + " bytes free on the queue's disk, floor is " + minFreeBytes;
    } else if (backlog >= maxBacklogBytes) {
      refusal = "backlog limit reached: " + backlog + " bytes wait for MySQL, limit is " + maxBacklogBytes;
    } else {
      refusal = null;
    }
  }

  private static long usable(FileStore store) {
    try {
      return store.getUsableSpace();
    } catch (IOException e) {
      return 0; // an unreadable file system is treated as full: refuse rather than risk SIGBUS
    }
  }

  @Override
  public void close() {
    if (checker != null) {
      checker.shutdownNow();
    }
  }
}
