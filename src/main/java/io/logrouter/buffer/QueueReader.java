package io.logrouter.buffer;

import io.logrouter.event.CorruptRecordException;
import io.logrouter.event.RecordReader;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue's read side: owns the Chronicle tailer, positioning after the committed index, decoding,
 * damage handling and the deletion of committed cycle files; counting what waits is {@link LaneBacklog}'s.
 * Damage never reads as "no more data":
 * <ul>
 *   <li>a document whose checksum, version or structure is wrong is quarantined and reported;
 *   <li>a document Chronicle cannot even frame (a broken header looks to a tailer like a write still in
 *       progress, forever) is confirmed after {@link #STUCK_GRACE_NANOS} while the queue's own index
 *       says documents follow; the reader then jumps, through the index (one entry per document), to
 *       the next readable one and reports every document it skipped;
 *   <li>a cycle file missing from the middle of the queue (the cycle journal knew it) is reported.
 * </ul>
 * Reported documents travel in the {@link Batch} so their report commits with the offset.
 *
 * <p>With several flush lanes, each lane has a reader of its own that delivers and reports only the
 * documents its {@link LaneShare} owns; the others are passed over by their header, unread and unchecked
 * (their own lane checks them), and committed files are deleted below the lowest lane ({@link ReleaseFloor}).
 *
 * <p>Thread ownership: one reading thread (the flusher, or an offline tool).
 */
public final class QueueReader implements BatchSource {
  private static final Logger LOG = LoggerFactory.getLogger(QueueReader.class);
  /** A real writer completes a document in microseconds; a header unfinished this long is damage. */
  static final long STUCK_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
  /** A whole lost file region is reported one row per document up to this many, then summed up. */
  static final int MAX_REPORTED_PER_REGION = 10_000;
  private final EventQueue queue;
  private final Quarantine quarantine;
  private final LongSupplier nanoClock;
  private final long graceNanos;
  private final LaneShare share;
  private final ReleaseFloor floor;
  private final LaneBacklog backlog;
  private final RecordReader decoder = new RecordReader();
  private ReadListener listener = ReadListener.NONE;
  /** A scan that only measures: damage is reported when the flusher really reads it, not twice. */
  private boolean quiet;
  /** Verify and measure only: documents are checked, their bytes are not kept. */
  private boolean checkOnly;
  private ExcerptTailer tailer;
  /**
   * Where documents are copied out of the mapped file. Bytes of a damaged or check-only document are
   * overwritten by the next.
   */
  private Segments segments = new Segments();
  private int lastCycle = Integer.MIN_VALUE;
  private long stuckAt = -1;
  private long stuckSinceNanos;
  private java.io.File knownFile;
  private long knownLength;
  /** After damage at the end of the newest cycle file: the index to read next, else -1. */
  private long resumeAt = -1;
  /** Documents at or before this are committed: never delivered or reported again. */
  private long committed = -1;

  QueueReader(EventQueue queue, Quarantine quarantine, LongSupplier nanoClock) {
    this(queue, quarantine, nanoClock, STUCK_GRACE_NANOS);
  }

  /** @param graceNanos 0 for offline tools: nothing is being written, so an unreadable header is damage at once */
  QueueReader(EventQueue queue, Quarantine quarantine, LongSupplier nanoClock, long graceNanos) {
    this(queue, quarantine, nanoClock, graceNanos, LaneShare.ALL, new ReleaseFloor(queue, 1));
  }

  /** One flush lane's reader: {@code floor} is shared by all lanes of the queue. */
  QueueReader(EventQueue queue, Quarantine quarantine, LongSupplier nanoClock, long graceNanos, LaneShare share,
      ReleaseFloor floor) {
    this.queue = queue;
    this.quarantine = quarantine;
    this.nanoClock = nanoClock;
    this.graceNanos = graceNanos;
    this.share = share;
    this.floor = floor;
    this.backlog = new LaneBacklog(queue, share, nanoClock);
  }

  /** Offline: for {@code queue verify} and {@code queue dump}; damage is reported to the listener only. */
  static QueueReader offline(EventQueue queue, ReadListener listener, boolean checkOnly) {
    QueueReader reader = new QueueReader(queue, Quarantine.DISCARD, System::nanoTime, 0).listener(listener);
    reader.quiet = true;
    reader.checkOnly = checkOnly;
    reader.segments = Segments.withoutReuse(); // nothing is committed here: a kept segment would only pin the heap
    return reader;
  }

  /**
   * A scan that only measures one lane's documents (see {@link LaneBacklog}): damage is reported to the listener
   * only, when the flusher really reads it, not twice; a floor of its own, since it resumes but never commits.
   */
  static QueueReader scan(EventQueue queue, LongSupplier nanoClock, LaneShare share, ReadListener listener) {
    QueueReader scan = new QueueReader(queue, Quarantine.DISCARD, nanoClock, 0, share,
        new ReleaseFloor(queue, share.lanes())).listener(listener);
    scan.quiet = true;
    scan.checkOnly = true;
    return scan;
  }

  QueueReader listener(ReadListener listener) {
    this.listener = listener;
    return this;
  }

  @Override
  public void resumeAfter(long committedIndex) {
    adopt(queue.createTailer());
    QueuePosition.resumeAfter(tailer, committedIndex);
    floor.resumed(share.lane(), committedIndex);
    committed = committedIndex;
    resumeAt = -1;
    lastCycle = committedIndex < 0 ? Integer.MIN_VALUE : queue.rollCycle().toCycle(committedIndex);
    stuckAt = -1;
  }

  @Override
  public Batch next(long maxBytes) {
    Batch batch = new Batch();
    try {
      while (batch.bytes() < maxBytes && readOne(batch)) {
        // keep reading
      }
    } catch (InternalError e) {
      // A read of a mapped page past the end of a truncated file (SIGBUS) surfaces as this error, and
      // the JVM may raise it a little after the faulting read: treat the position as damaged.
      skipUnreadable(batch, true);
    }
    if (!batch.readNothing()) {
      queue.noteRead(batch.bytes());
    }
    return batch;
  }

  @Override
  public void release(long committedIndex) {
    segments.committed(committedIndex);
    floor.committed(share.lane(), committedIndex);
  }

  @Override
  public long lastIndex() {
    return queue.lastIndex();
  }

  @Override
  public Backlog measure(long committedIndex, long last) {
    return backlog.measure(committedIndex, last);
  }

  @Override
  public long documentsAfter(long committedIndex) {
    return backlog.documentsAfter(committedIndex);
  }

  /** @return false when nothing more can be read now */
  private boolean readOne(Batch batch) {
    if (resumeAt >= 0) {
      return resume(batch);
    }
    long index;
    int length;
    try (DocumentContext dc = tailer.readingDocument()) {
      if (!dc.isPresent()) {
        return skipUnreadable(batch, false);
      }
      index = dc.index();
      if (!owns(index)) {
        length = -1; // another lane's: not copied, not checked
      } else {
        length = copy(dc.wire().bytes());
      }
    } catch (RuntimeException | InternalError e) {
      // Chronicle itself failed on the file (an overwritten region), or the file is shorter than its
      // mapping (truncated: the JVM turns the SIGBUS of that read into an InternalError): damage, no grace.
      LOG.debug("queue read failed at index {}", tailer.index(), e);
      return skipUnreadable(batch, true);
    }
    if (length == -2) {
      return skipUnreadable(batch, true); // a truncated file: its mapping reads past the end (SIGBUS)
    }
    stuckAt = -1;
    if (index <= committed) {
      return true; // positioning could not skip it (its neighbour was damaged): already in MySQL
    }
    int cycle = queue.rollCycle().toCycle(index);
    reportMissingCycles(cycle, batch);
    lastCycle = cycle;
    if (length < 0) {
      batch.pass(index);
      return true;
    }
    return check(index, cycle, length, batch);
  }

  /** Copies the document at the tailer into {@link #segment}. @return its length, or -2 when it lies past the file's end */
  private int copy(Bytes<?> bytes) {
    int length = (int) bytes.readRemaining();
    if (pastEndOfFile(bytes.readPosition() + length)) {
      return -2;
    }
    bytes.read(segments.reserve(length), segments.used(), length);
    return length;
  }

  private boolean owns(long index) {
    return share.owns(queue.rollCycle().toSequenceNumber(index));
  }

  /** Checks the copied document and adds it to the batch, or reports it damaged. */
  private boolean check(long index, int cycle, int length, Batch batch) {
    ByteBuffer doc = ByteBuffer.wrap(segments.current(), segments.used(), length);
    try {
      int events = decoder.check(doc);
      if (checkOnly) {
        batch.addDocument(index, length);
      } else {
        batch.addDocument(new Batch.Document(index, segments.current(), segments.used(), length, events),
            decoder.firstReceivedMicros(), decoder.eventKeys());
        segments.keep(index, length);
      }
      if (decoder.requestKey() != null) {
        batch.addRequestKey(index, decoder.requestKey());
      }
      listener.document(cycle, index, events, length);
    } catch (CorruptRecordException e) {
      damaged(batch, new DamagedDocument(index, cycle, length, e.getMessage(), quarantine.save(cycle, index, doc)));
      resyncAfter(index);
    }
    return true;
  }

  /**
   * A damaged document may have had a damaged length too, which would leave the tailer framing
   * garbage as documents. The index (one entry per document) says where the next one really starts.
   */
  private void resyncAfter(long damagedIndex) {
    ExcerptTailer probe = queue.createTailer();
    if (readableAt(probe, damagedIndex + 1)) {
      adopt(probe);
    } else {
      probe.close(); // the last document so far: the tailer's own framing is all there is
    }
  }

  /**
   * Whether a document ending at file offset {@code end} lies past the end of the tailer's file
   * (Chronicle's mapped positions are file offsets). Files only grow, so the length is re-read only
   * when a document ends beyond the length known: once per block in normal running.
   */
  private boolean pastEndOfFile(long end) {
    java.io.File file = tailer.currentFile();
    if (file != knownFile || end > knownLength) {
      knownFile = file;
      knownLength = file == null ? Long.MAX_VALUE : file.length();
    }
    return end > knownLength;
  }

  /**
   * The tailer cannot read at its position. Either that is the end of the queue, or a writer is
   * mid-document, or the document there is damaged: the queue's index decides which.
   */
  private boolean skipUnreadable(Batch batch, boolean failed) {
    return skipUnreadableAt(tailer.index(), batch, failed);
  }

  /** After damage at the end of the newest file: read on from {@link #resumeAt} once it is written. */
  private boolean resume(Batch batch) {
    ExcerptTailer probe = queue.createTailer();
    if (readableAt(probe, resumeAt)) {
      adopt(probe);
      return true;
    }
    probe.close();
    return skipUnreadableAt(resumeAt, batch, false);
  }

  private boolean skipUnreadableAt(long next, Batch batch, boolean failed) {
    if (!failed && queue.lastIndex() < next) {
      stuckAt = -1;
      return false; // the end of the queue
    }
    long now = nanoClock.getAsLong();
    if (stuckAt != next) {
      stuckAt = next;
      stuckSinceNanos = now;
      if (graceNanos > 0) {
        return false;
      }
    }
    if (now - stuckSinceNanos < graceNanos) {
      return false;
    }
    stuckSinceNanos = now; // probe again at most once per grace period
    return jumpOver(next, batch);
  }

  /** Finds the next readable document after {@code next}, reporting the ones skipped. */
  private boolean jumpOver(long next, Batch batch) {
    int cycle = queue.rollCycle().toCycle(next);
    long seq = queue.rollCycle().toSequenceNumber(next);
    long documentsInCycle = documentsIn(cycle);
    for (long s = seq + 1; s < documentsInCycle; s++) {
      long candidate = queue.rollCycle().toIndex(cycle, s);
      ExcerptTailer probe = queue.createTailer();
      if (readableAt(probe, candidate)) {
        reportLost(next, candidate, "unreadable document header", batch);
        adopt(probe);
        return true;
      }
      probe.close();
    }
    int nextCycle = queue.nextCycle(cycle);
    long end = queue.rollCycle().toIndex(cycle, Math.max(seq + 1, documentsInCycle));
    reportLost(next, end, "unreadable region up to the end of its cycle file", batch);
    if (nextCycle < 0) {
      // The newest file: what is written after the damage is read from its index once it exists.
      resumeAt = graceNanos > 0 ? end : -1;
      stuckAt = -1;
      return graceNanos > 0;
    }
    ExcerptTailer probe = queue.createTailer();
    probe.moveToCycle(nextCycle);
    adopt(probe);
    lastCycle = cycle;
    return true;
  }

  private static boolean readableAt(ExcerptTailer probe, long index) {
    try {
      if (!probe.moveToIndex(index)) {
        return false;
      }
      try (DocumentContext dc = probe.readingDocument()) {
        dc.rollbackOnClose();
        return dc.isPresent() && dc.index() == index;
      }
    } catch (RuntimeException | InternalError e) {
      return false;
    }
  }

  /** Documents Chronicle's index lists for {@code cycle}; 0 when its index is unreadable. */
  private long documentsIn(int cycle) {
    try {
      return tailer.excerptsInCycle(cycle);
    } catch (RuntimeException | InternalError e) {
      return 0;
    }
  }

  private void reportLost(long from, long to, String reason, Batch batch) {
    int cycle = queue.rollCycle().toCycle(from);
    long count = Math.max(1, to - from);
    long reported = Math.min(count, MAX_REPORTED_PER_REGION);
    for (long i = 0; i < reported; i++) {
      if (from + i <= committed) {
        continue;
      }
      String why = i == reported - 1 && count > reported
          ? reason + " (and " + (count - reported) + " more documents up to index " + Long.toHexString(to) + ")"
          : reason;
      damaged(batch, new DamagedDocument(from + i, cycle, -1, why, ""));
    }
  }

  private void reportMissingCycles(int cycle, Batch batch) {
    if (lastCycle == Integer.MIN_VALUE) {
      return;
    }
    for (int missing : queue.journal().between(lastCycle, cycle)) {
      java.io.File file = queue.cycleFiles().fileOf(missing);
      if (!file.exists()) {
        damaged(batch, new DamagedDocument(queue.rollCycle().toIndex(missing, 0), missing, -1,
            "cycle file " + file.getName() + " is missing: its documents are lost (count unknown)", ""));
      }
    }
  }

  private void damaged(Batch batch, DamagedDocument d) {
    if (!owns(d.index())) {
      batch.pass(d.index()); // its own lane reports it
      return;
    }
    batch.addDamaged(d);
    listener.damaged(d);
    if (quiet) {
      return;
    }
    LOG.error("damaged queue document at index {} (cycle {}, {} bytes) in {}: {}; its events are reported in "
        + "logs_rejected, not flushed{}", Long.toHexString(d.index()), d.cycle(), d.bytes(),
        queue.cycleFiles().fileOf(d.cycle()), d.reason(),
        d.quarantineFile().isEmpty() ? "" : "; raw bytes saved to " + d.quarantineFile());
  }

  private void adopt(ExcerptTailer fresh) {
    if (tailer != null) {
      tailer.close();
    }
    tailer = fresh;
    stuckAt = -1;
    resumeAt = -1;
  }

  @Override
  public void close() {
    if (tailer != null) {
      tailer.close();
      tailer = null;
    }
  }
}
