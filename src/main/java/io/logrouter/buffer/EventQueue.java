package io.logrouter.buffer;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.threads.LongPauser;
import net.openhft.chronicle.threads.TimingPauser;

/**
 * The router's disk buffer: one Chronicle Queue directory per instance, one document per accepted
 * request (see event.RecordFormat).
 *
 * <p>Thread ownership: {@link #append} may be called from any thread; each thread gets its own
 * appender (Chronicle appenders are single-threaded). Appends take no Java lock of ours, but
 * Chronicle serializes writers to one queue with its own write lock in the mapped file
 * ({@code TableStoreWriteLock}, held for the copy of one document): with one IO thread per core
 * that is the one point where concurrent requests meet. A writer that finds it taken waits as
 * {@link #writeLockPauser()} says. Tailers are created by, and belong to, the flusher thread.
 */
public final class EventQueue implements AutoCloseable {
  /**
   * Chronicle maps its files in blocks of this size and refuses a document larger than a quarter
   * of a block. 64 MB keeps the mapped (resident) window small while allowing 16 MB documents.
   */
  static final long BLOCK_SIZE = 64L << 20;
  /**
   * The warm-up's scratch queue maps its files in blocks this small, so that its appends and reads cross from one
   * mapped block to the next some 30 times, as the router's do every 64 MB (once or twice per cycle file at
   * 1,000 requests a second). With no crossing in the warm-up, the first real one threw compiled append and read
   * code away (Chronicle's {@code MappedBytesStore.inside}, seen in the JIT log). Its documents are far below a
   * quarter of it.
   */
  static final long SCRATCH_BLOCK_SIZE = 1L << 20;
  /** Largest document accepted: a quarter block, less room for Chronicle's own header. */
  public static final long MAX_DOCUMENT_BYTES = BLOCK_SIZE / 4 - 4096;

  /**
   * Cap of Chronicle's index array length. With an index entry for every document (spacing 1) a
   * cycle holds count^2 documents: 16384^2 = 268M, over 400k documents/s for a ten-minute cycle.
   */
  private static final int MAX_INDEX_COUNT = 16_384;

  /** How long a writer spins on a taken write lock: the copy of a one-event document takes less. */
  private static final int WRITE_LOCK_SPIN_MICROS = 2;
  /** Its first sleep, doubled at each retry up to the max. */
  private static final long WRITE_LOCK_MIN_PARK_MICROS = 20;
  private static final long WRITE_LOCK_MAX_PARK_MICROS = 200;

  private final SingleChronicleQueue queue;
  private final ThreadLocal<ExcerptAppender> appenders;
  private final CycleJournal journal;
  private final CycleFiles cycleFiles;
  private final RollCycle rollCycle;
  /**
   * The queue's last index: found in the files at open, then raised by each append. Chronicle's own
   * lastIndex() builds a tailer on every call (a directory listing, a wire, a mapped view of the cycle file:
   * 7.4 KB of garbage, LastIndexTest), and the flusher, its read-ahead thread and the live tail ask every few ms: at 1,000
   * req/s that was most of the router's allocation, so most of its GC pauses and its p99 latency
   * (BENCHMARKS.md). Null for a read-only queue, which another process may be writing: it asks Chronicle.
   */
  private final AtomicLong lastIndex;
  /**
   * Bytes of documents appended and read by this process, for {@link #touchedBytes()}. A LongAdder: the IO
   * threads add to it on every append, and a shared counter would make them contend for one cache line.
   */
  private final LongAdder touchedBytes = new LongAdder();

  private EventQueue(SingleChronicleQueue queue, CycleJournal journal, boolean readOnly) {
    this.queue = queue;
    this.journal = journal;
    this.appenders = ThreadLocal.withInitial(queue::createAppender);
    this.rollCycle = queue.rollCycle();
    this.cycleFiles = new CycleFiles(this);
    this.lastIndex = readOnly ? null : new AtomicLong(lastIndexInFiles());
  }

  public static EventQueue open(Path dir, String rollCycleName) {
    return open(dir, rollCycleName, QueueClock.wall());
  }

  /**
   * A scratch queue that moves to a new cycle file every {@code rollEvery}, whatever its roll cycle: the start-up
   * warm-up's. Its appenders and readers then cross from file to file now and then, as the router's do at every
   * roll (10 minutes by default) and at the first append after a start. With no crossing in the warm-up, HotSpot
   * compiled the append and the read without those branches, and threw the compiled code away at the first real
   * append (seen in the JIT log). Its files are mapped in {@link #SCRATCH_BLOCK_SIZE} blocks, for the same reason.
   */
  public static EventQueue openRollingEvery(Path dir, String rollCycleName, Duration rollEvery) {
    QueueClock clock = QueueClock.skippingCycles(rollCycle(rollCycleName).lengthInMillis(), rollEvery.toMillis());
    return open(dir, rollCycleName, clock, false, SCRATCH_BLOCK_SIZE);
  }

  /** A {@code queue.roll.cycle} value (a Chronicle RollCycles name, any case). */
  private static RollCycles rollCycle(String name) {
    return RollCycles.valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** With an injected clock, so tests can roll cycles without waiting for them. */
  static EventQueue open(Path dir, String rollCycleName, TimeProvider time) {
    return open(dir, rollCycleName, time, false);
  }

  static EventQueue open(Path dir, String rollCycleName, TimeProvider time, boolean readOnly) {
    return open(dir, rollCycleName, time, readOnly, BLOCK_SIZE);
  }

  /**
   * Every document gets its own index entry (spacing 1): a reader that meets a damaged document
   * header can then jump straight to the next document instead of losing the rest of the file.
   */
  private static EventQueue open(Path dir, String rollCycleName, TimeProvider time, boolean readOnly, long blockSize) {
    RollCycles rollCycle = rollCycle(rollCycleName);
    CycleJournal journal = new CycleJournal(dir, !readOnly);
    SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(dir.toFile())
        .rollCycle(rollCycle)
        .indexSpacing(1)
        .indexCount(indexCountFor(rollCycle))
        .blockSize(blockSize)
        .timeProvider(time)
        .pauserSupplier(EventQueue::writeLockPauser)
        .readOnly(readOnly)
        .build();
    if (queue.firstCycle() <= queue.lastCycle()) {
      journal.recordAll(queue.listCyclesBetween(queue.firstCycle(), queue.lastCycle()));
    }
    return new EventQueue(queue, journal, readOnly);
  }

  /**
   * How a writer waits for the queue's write lock: a short spin, then sleeps. Chronicle's default spins
   * and yields for as long as the lock is taken, which suits a core per thread. Here the IO threads share
   * two cores with the flusher, MariaDB and the senders, and a 1,000-event document holds the lock for
   * tens of microseconds, longer still when its holder is preempted: the waiter's spinning was 16-18% of
   * the router's CPU during NDJSON ingest (async-profiler, BENCHMARKS.md "Issue 13, session 17"), CPU
   * taken from the holder and from MariaDB.
   */
  static TimingPauser writeLockPauser() {
    // Yielding ends when spinning does: with two cores there is rarely anyone to yield to.
    return new LongPauser(WRITE_LOCK_SPIN_MICROS, WRITE_LOCK_SPIN_MICROS,
        WRITE_LOCK_MIN_PARK_MICROS, WRITE_LOCK_MAX_PARK_MICROS, TimeUnit.MICROSECONDS);
  }

  /** The largest power of two whose square fits the roll cycle's sequence space, capped. */
  static int indexCountFor(RollCycles rollCycle) {
    long capacity = (long) rollCycle.defaultIndexCount() * rollCycle.defaultIndexCount() * rollCycle.defaultIndexSpacing();
    int count = MAX_INDEX_COUNT;
    while ((long) count * count > capacity) {
      count >>= 1;
    }
    return count;
  }

  /** Opens an existing queue directory for offline inspection: nothing in it is changed. */
  public static EventQueue openReadOnly(Path dir, String rollCycleName) {
    return open(dir, rollCycleName, QueueClock.wall(), true);
  }

  /**
   * Appends one document. On return it is in the mapped file: a kill -9 of this process cannot
   * lose it (the kernel owns the page); power loss can, unless {@link #sync()} ran after it.
   *
   * @return the document's queue index
   * @throws DocumentTooLargeException when the document exceeds {@link #MAX_DOCUMENT_BYTES}
   */
  public long append(byte[] document, int offset, int length) throws DocumentTooLargeException {
    if (length > MAX_DOCUMENT_BYTES) {
      throw new DocumentTooLargeException(length);
    }
    ExcerptAppender appender = appenders.get();
    try (DocumentContext dc = appender.writingDocument()) {
      dc.wire().bytes().write(document, offset, length);
    }
    long index = appender.lastIndexAppended();
    touchedBytes.add(length);
    journal.record(rollCycle.toCycle(index));
    // Appenders on other threads may finish out of index order: keep the highest (no write once
    // another thread has gone higher).
    long seen = lastIndex.get();
    while (seen < index && !lastIndex.compareAndSet(seen, index)) {
      seen = lastIndex.get();
    }
    return index;
  }


  /** The cycle file this thread's appender last wrote to (what an fsync must cover). */
  public File currentFile() {
    return appenders.get().currentFile();
  }

  /** The index of the last document in the queue, or -1 when it is empty. */
  public long lastIndex() {
    return lastIndex == null ? lastIndexInFiles() : lastIndex.get();
  }

  private long lastIndexInFiles() {
    long last = queue.lastIndex();
    return last < 0 ? -1 : last;
  }

  /**
   * Bytes of documents this process has appended and read so far: the pages it has touched in the queue's
   * mapped files grow with it. The page trimming ({@link ResidentPages}) trims when it has grown enough, and
   * skips its work while it stays the same.
   */
  public long touchedBytes() {
    return touchedBytes.sum();
  }

  /** A reader's batch came back with {@code bytes} of documents (see {@link #touchedBytes()}). */
  void noteRead(long bytes) {
    touchedBytes.add(bytes);
  }

  /** A new tailer at the start of the queue. Call from the thread that will use it. */
  ExcerptTailer createTailer() {
    return queue.createTailer();
  }

  /** A reader that resumes after {@code committedIndex}, saving damaged documents under {@code quarantine}. */
  public QueueReader createReader(Quarantine quarantine, java.util.function.LongSupplier nanoClock) {
    return new QueueReader(this, quarantine, nanoClock);
  }

  /**
   * One reader per flush lane ({@code flush.lanes}), each delivering only the documents its {@link LaneShare}
   * owns; cycle files are deleted once every lane has committed past them.
   */
  public java.util.List<BatchSource> createLaneReaders(int lanes, Quarantine quarantine,
      java.util.function.LongSupplier nanoClock) {
    ReleaseFloor floor = new ReleaseFloor(this, lanes);
    java.util.List<BatchSource> readers = new java.util.ArrayList<>();
    for (int lane = 0; lane < lanes; lane++) {
      readers.add(new QueueReader(this, quarantine, nanoClock, QueueReader.STUCK_GRACE_NANOS,
          new LaneShare(lane, lanes), floor));
    }
    return readers;
  }

  /**
   * Under a lane layout that is being replaced, the first document its lane has not committed, or -1 when
   * every lane has committed all of its documents (the layout may then change without loss or duplicates).
   *
   * @param committedByLane the committed index of each lane of the old layout (its length is the lane count)
   * @param last the queue's last index when the new layout began: later documents are the new layout's
   */
  public long firstUncommitted(long[] committedByLane, long last) {
    long from = Long.MAX_VALUE;
    for (long c : committedByLane) {
      from = Math.min(from, c);
    }
    if (last <= from) {
      return -1;
    }
    ExcerptTailer tailer = queue.createTailer();
    try {
      QueuePosition.resumeAfter(tailer, from);
      long seen = from;
      while (true) {
        try (DocumentContext dc = tailer.readingDocument()) {
          if (!dc.isPresent()) {
            // An unreadable header before the end counts as waiting: its lane must read (and report) it first.
            return seen >= last ? -1 : seen + 1;
          }
          seen = dc.index();
          if (seen > last) {
            return -1;
          }
          int lane = LaneShare.ownerOf(queue.rollCycle().toSequenceNumber(seen), committedByLane.length);
          if (seen > committedByLane[lane]) {
            return seen;
          }
        }
      }
    } finally {
      tailer.close();
    }
  }

  /** The next cycle after {@code cycle} that has a file, or -1. */
  int nextCycle(int cycle) {
    try {
      return queue.nextCycle(cycle, TailerDirection.FORWARD);
    } catch (java.text.ParseException e) {
      return -1;
    }
  }

  /** Documents in [fromIndex, toIndex), counted from Chronicle's index (no document is read). */
  long countDocuments(long fromIndex, long toIndex) {
    return toIndex <= fromIndex ? 0 : queue.countExcerpts(fromIndex, toIndex);
  }

  long firstIndex() {
    return queue.firstIndex();
  }

  int firstCycle() {
    return queue.firstCycle();
  }

  int lastCycle() {
    return queue.lastCycle();
  }

  CycleJournal journal() {
    return journal;
  }

  CycleFiles cycleFiles() {
    return cycleFiles;
  }

  RollCycle rollCycle() {
    return rollCycle;
  }


  File directory() {
    return queue.file();
  }

  /** Makes tailers see files added or removed by clean-up. */
  void refreshDirectoryListing() {
    queue.refreshDirectoryListing();
  }

  @Override
  public void close() {
    queue.close();
  }
}
