package io.logrouter.syslog;

import io.logrouter.buffer.BacklogGate;
import io.logrouter.buffer.EventQueue;
import io.logrouter.event.EventWriter;
import io.logrouter.event.RecordBuffer;
import io.logrouter.metrics.RouterMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages of one listener round (every connection and datagram read in one select) as ONE
 * queue document: one append and one backlog update per round, never one per message. Syslog has no
 * acknowledgement, so a message counts as accepted once its document is appended.
 *
 * <p>When the append fails (disk trouble), the sealed document is kept and the listener stops reading
 * until a retry succeeds: senders see TCP back-pressure, nothing read is lost. Listener thread only.
 */
final class SyslogBatch implements FrameSplitter.Sink {
  private static final Logger LOG = LoggerFactory.getLogger(SyslogBatch.class);
  /** A round larger than this is appended early: documents stay far below the queue's 16 MB cap. */
  static final int COMMIT_BYTES = 4 << 20;

  private final EventQueue queue;
  private final BacklogGate gate;
  private final RouterMetrics metrics;
  private final RecordBuffer document = new RecordBuffer(1 << 20);
  private final EventWriter writer;
  private final SyslogDecoder decoder = new SyslogDecoder();
  private boolean open;
  private int sealedCount;
  private long frameBytes;
  private long receivedMicros;
  private long startNanos;
  private boolean failing;

  SyslogBatch(EventQueue queue, BacklogGate gate, RouterMetrics metrics, long maxMessageBytes) {
    this.queue = queue;
    this.gate = gate;
    this.metrics = metrics;
    this.writer = new EventWriter(maxMessageBytes);
  }

  @Override
  public void frame(byte[] buf, int off, int len, boolean truncated) {
    if (!open) {
      begin();
    }
    decoder.decode(buf, off, len, truncated, receivedMicros, writer.count(), writer);
    frameBytes += len;
  }

  /** The round has grown past {@link #COMMIT_BYTES}. */
  boolean full() {
    return open && document.length() >= COMMIT_BYTES;
  }

  /** A sealed document waits for a retry of its append: do not read more. */
  boolean pending() {
    return sealedCount > 0;
  }

  /**
   * Appends what this round read.
   *
   * @return false when the append failed; the document is kept for the next call
   */
  boolean commit() {
    if (open) {
      sealedCount = writer.finish();
      open = false;
    }
    if (sealedCount == 0) {
      return true;
    }
    try {
      queue.append(document.array(), 0, document.length());
    } catch (Exception e) {
      if (!failing) {
        LOG.error("syslog: the disk queue cannot be written; not reading from senders until it can", e);
        failing = true;
      }
      return false;
    }
    if (failing) {
      LOG.info("syslog: the disk queue is writable again; reading from senders");
      failing = false;
    }
    gate.appended(document.length(), sealedCount);
    metrics.accepted(sealedCount, frameBytes, System.nanoTime() - startNanos);
    sealedCount = 0;
    frameBytes = 0;
    return true;
  }

  private void begin() {
    document.clear();
    writer.begin(document);
    open = true;
    startNanos = System.nanoTime();
    java.time.Instant now = java.time.Instant.now();
    receivedMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }
}
