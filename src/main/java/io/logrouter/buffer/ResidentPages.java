package io.logrouter.buffer;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import io.logrouter.threads.ProcFiles;
import io.logrouter.threads.RouterThreads;
import net.openhft.posix.PosixAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the queue's memory-mapped pages out of the router's resident memory. Chronicle maps each cycle
 * file in 64 MB blocks, and every page an appender wrote or a reader read stays in the process's RSS until
 * its block is unmapped: 130-300 MB at saturation (BENCHMARKS.md), for data that is already in the kernel's
 * page cache and on its way to disk. A container's memory limit and an operator's RSS alarm count it all.
 *
 * <p>{@link #trim()} calls {@code madvise(MADV_PAGEOUT)} over the queue's shared file mappings, found in
 * {@code /proc/self/maps}. The kernel unmaps those pages from the process; a page written through the mapping
 * and not yet on disk stays dirty in the page cache and is written back as before (reclaim from a user thread
 * never writes file pages itself), a clean one may leave the page cache, and the next access maps the page
 * again, from the cache or the file. Pages in use are therefore mapped again at once; pages behind the
 * appenders and readers are not.
 *
 * <p>Why PAGEOUT and not the cheaper DONTNEED: between reading a line of {@code /proc/self/maps} and advising
 * its range, Chronicle may unmap that chunk on another thread and the range may be mapped again for something
 * else. DONTNEED on a private or anonymous mapping discards its contents (zero pages); PAGEOUT never loses
 * data on any mapping (anonymous pages can only go to swap), so that race costs at worst a page fault.
 *
 * <p>Linux only; elsewhere, or when the native call is unavailable, {@link #of} gives {@link #NONE}.
 */
public class ResidentPages {
  private static final Logger LOG = LoggerFactory.getLogger(ResidentPages.class);
  private static final Path MAPS = Path.of("/proc/self/maps");
  private static final Path SMAPS = Path.of("/proc/self/smaps");
  /** Linux 5.4+ (EINVAL before: nothing is trimmed); not in Chronicle's MAdviseFlag. */
  private static final int MADV_PAGEOUT = 21;

  /** Trims nothing and reports nothing resident: the feature off, or a platform without it. */
  public static final ResidentPages NONE = new ResidentPages(null) {
    @Override
    public long trim() {
      return 0;
    }

    @Override
    public long residentBytes() {
      return 0;
    }
  };

  /** How long a {@link #recentResidentBytes()} answer is reused: reading smaps costs ~6 ms of CPU. */
  private static final long RECENT_NANOS = 1_000_000_000L;

  /** The queue directory with a trailing separator: mappings of files under it are the queue's. */
  private final String prefix;
  private volatile boolean refusedOnce;
  private volatile long recentAtNanos;
  private volatile long recentBytes = -1;

  /** Package-private for tests that stand in for the kernel (a trim that throws). */
  ResidentPages(String prefix) {
    this.prefix = prefix;
  }

  /** The queue under {@code queueDir}, or {@link #NONE} where the process's mappings cannot be read or advised. */
  public static ResidentPages of(Path queueDir) {
    if (!Files.isReadable(MAPS)) {
      return NONE;
    }
    try {
      PosixAPI.posix(); // loads the native binding once, here, rather than in the first trim
      return new ResidentPages(queueDir.toAbsolutePath().normalize() + "/");
    } catch (LinkageError | RuntimeException e) {
      LOG.warn("the queue's mapped pages will stay resident (no madvise here: {})", e.toString());
      return NONE;
    }
  }

  /**
   * Trims on a thread of its own ({@code queue-page-trim}) until the result is closed, when {@link TrimSchedule}
   * says so: as soon as {@code trimBytes} have been appended or read since the last trim, else once {@code interval}
   * has passed and anything was. Pages written and read between two trims stay resident, so the queue's share of
   * RSS is about {@code trimBytes} at any ingest rate: with the interval alone it grew with the rate (100 ms at
   * 300 MB/s of NDJSON is 30 MB, and a trim thread late on two busy cores made it 37-63 MB at the peak,
   * BENCHMARKS.md "Issue 13, session 18"). Under light load the interval (5 s by default) lets the few pages touched
   * go: not more often, because a trim costs about a millisecond of CPU (reading /proc/self/maps, the kernel's
   * unmapping) and delays the requests in flight meanwhile: every 100 ms it made p99 at 1,000 req/s 1.32-1.64 ms
   * (0.96-1.60 at 5 s) and p99.9 two to five times higher.
   *
   * @param touchedBytes bytes appended and read so far ({@link EventQueue#touchedBytes()})
   */
  public Trimming trimEvery(Duration interval, long trimBytes, LongSupplier touchedBytes) {
    if (this == NONE || interval.isZero()) {
      return Trimming.OFF;
    }
    ScheduledExecutorService thread = RouterThreads.scheduler("queue-page-trim");
    TrimSchedule schedule = new TrimSchedule(interval.toNanos(), trimBytes, touchedBytes);
    // A trim that fails (no /proc, a native error) would fail the same way ten times a second: it is
    // logged and counted once, and trimming stops; the pages then stay resident, which the gauge shows.
    thread.scheduleWithFixedDelay(() -> {
      try {
        if (schedule.due(System.nanoTime())) {
          trim();
        }
      } catch (RuntimeException | LinkageError e) {
        RouterThreads.failed("queue page trim (stopped: the queue's pages now stay resident)", e);
        thread.shutdown();
      }
    }, schedule.checkNanos(), schedule.checkNanos(), TimeUnit.NANOSECONDS);
    return thread::shutdownNow;
  }

  /**
   * When to trim. Checked every {@link #checkNanos()} (a counter read, nothing more); a trim is due when
   * <ul>
   *   <li>{@code trimBytes} have been touched since the last trim (0: this trigger is off);</li>
   *   <li>or the interval has passed and anything was touched;</li>
   *   <li>or {@link #IDLE_INTERVALS} intervals have passed: a page touched unnoticed (a reader that does not count
   *   its bytes) stays resident no longer, while an idle router is not trimmed ten times a second for nothing.</li>
   * </ul>
   * Not thread-safe: the trim thread's alone.
   */
  static final class TrimSchedule {
    static final int IDLE_INTERVALS = 10;
    /** How often the byte count is checked: at 300 MB/s, 3 MB go by between two checks. */
    static final long BYTE_CHECK_NANOS = 10_000_000L;

    private final long intervalNanos;
    private final long trimBytes;
    private final LongSupplier touchedBytes;
    private long touchedAtTrim = Long.MIN_VALUE;
    private long lastTrimNanos;

    TrimSchedule(long intervalNanos, long trimBytes, LongSupplier touchedBytes) {
      this.intervalNanos = intervalNanos;
      this.trimBytes = trimBytes > 0 ? trimBytes : Long.MAX_VALUE;
      this.touchedBytes = touchedBytes;
    }

    long checkNanos() {
      return trimBytes == Long.MAX_VALUE ? intervalNanos : Math.min(intervalNanos, BYTE_CHECK_NANOS);
    }

    boolean due(long nowNanos) {
      long touched = touchedBytes.getAsLong();
      long since = nowNanos - lastTrimNanos;
      boolean first = touchedAtTrim == Long.MIN_VALUE;
      boolean due = first
          || touched - touchedAtTrim >= trimBytes
          || since >= intervalNanos && touched != touchedAtTrim
          || since >= IDLE_INTERVALS * intervalNanos;
      if (due) {
        // Read before the trim: bytes touched during it count towards the next one.
        touchedAtTrim = touched;
        lastTrimNanos = nowNanos;
      }
      return due;
    }
  }

  /** The running trim; {@link #OFF} when there is none. */
  @FunctionalInterface
  public interface Trimming extends AutoCloseable {
    Trimming OFF = () -> { };

    @Override
    void close();
  }

  /**
   * Drops the queue's pages from this process's page tables.
   *
   * @return bytes of mappings advised (mapped address space, not the resident part of it)
   */
  public long trim() {
    long advised = 0;
    try (BufferedReader maps = ProcFiles.open(MAPS)) {
      for (String line; (line = maps.readLine()) != null; ) {
        Mapping m = queueMapping(line);
        if (m != null) {
          int rc = PosixAPI.posix().madvise(m.start, m.end - m.start, MADV_PAGEOUT);
          if (rc == 0) {
            advised += m.end - m.start;
          } else if (!refusedOnce) {
            refusedOnce = true;
            LOG.warn("madvise(MADV_PAGEOUT) refused on the queue's mappings (Linux before 5.4?): its pages stay resident");
          }
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("reading " + MAPS, e);
    }
    return advised;
  }

  /** Bytes of the queue's mapped files resident in this process now (the {@code Rss} of their mappings). */
  public long residentBytes() {
    long kb = 0;
    boolean inQueueMapping = false;
    try (BufferedReader smaps = ProcFiles.open(SMAPS)) {
      for (String line; (line = smaps.readLine()) != null; ) {
        if (isMappingHeader(line)) {
          inQueueMapping = queueMapping(line) != null;
        } else if (inQueueMapping && line.startsWith("Rss:")) {
          kb += Long.parseLong(line.substring(4, line.length() - 3).trim());
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("reading " + SMAPS, e);
    }
    return kb << 10;
  }

  /**
   * {@link #residentBytes()} at most a second old, for the metrics gauge: a scraper or a benchmark polling
   * /metrics every 100 ms would otherwise pay a smaps read (~6 ms of CPU for a JVM's mappings) each time.
   */
  public long recentResidentBytes() {
    long now = System.nanoTime();
    if (recentBytes < 0 || now - recentAtNanos > RECENT_NANOS) {
      recentBytes = residentBytes();
      recentAtNanos = now;
    }
    return recentBytes;
  }

  /** A header line of /proc/self/smaps starts with the address range; field lines start with a name and ':'. */
  private static boolean isMappingHeader(String line) {
    int dash = line.indexOf('-');
    int space = line.indexOf(' ');
    return dash > 0 && space > dash && line.indexOf(':') > space;
  }

  /**
   * The address range of a maps line ({@code start-end perms offset dev inode path}) when it maps a file of
   * the queue shared; null for any other line.
   */
  private Mapping queueMapping(String line) {
    int pathAt = line.indexOf('/');
    if (pathAt < 0 || !line.startsWith(prefix, pathAt)) {
      return null;
    }
    int dash = line.indexOf('-');
    int space = line.indexOf(' ', dash);
    if (dash < 0 || space < 0 || space + 4 >= line.length() || line.charAt(space + 4) != 's') {
      return null; // perms "rw-s": only shared mappings
    }
    return new Mapping(Long.parseUnsignedLong(line, 0, dash, 16), Long.parseUnsignedLong(line, dash + 1, space, 16));
  }

  private record Mapping(long start, long end) {}
}
