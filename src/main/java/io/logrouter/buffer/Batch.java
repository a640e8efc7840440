package io.logrouter.buffer;

import io.logrouter.event.CorruptRecordException;
import io.logrouter.event.LogEvent;
import io.logrouter.event.RecordReader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Consecutive queue documents read for one flush: their events, the documents found damaged among
 * them, and the index range they cover. Committing a batch means committing {@link #lastIndex()}:
 * damaged documents are part of the range, so they are reported once and never read again.
 *
 * <p>The queue reader fills a batch with the checked bytes of each document ({@link #documentBytes()}):
 * the flusher streams rows from them, and {@link #events()} decodes Strings only when a rarer path
 * asks (the strict INSERT fallback, de-duplication, dead letters). A batch holds either documents or
 * events added directly ({@code events().add}, as in-memory test sources do), never both.
 *
 * <p>Thread ownership: one thread at a time (the reader that fills it, then the flusher).
 */
public final class Batch {
  /** Events added directly, or those of the first {@code decodedDocuments} of {@link #documentBytes}, decoded. */
  private final List<LogEvent> events = new ArrayList<>();
  private final List<Document> documentBytes = new ArrayList<>();
  private int decodedDocuments;
  private int documentEvents;
  private boolean eventKeys;
  private long oldestReceivedMicros;
  private final List<DamagedDocument> damaged = new ArrayList<>();
  private final List<RequestKey> requestKeys = new ArrayList<>();
  private long firstIndex = -1;
  private long lastIndex = -1;
  /** The last queue index read: {@link #lastIndex} or a later document of another flush lane, passed over. */
  private long passedTo = -1;
  private long bytes;
  private int documents;

  /**
   * One checked queue document: its bytes are {@code bytes[offset..offset+length)}, shared with
   * other documents (never written again once handed out).
   */
  public record Document(long index, byte[] bytes, int offset, int length, int events) {}

  /** The events, decoded from the documents' bytes on the first call (then kept). */
  public List<LogEvent> events() {
    if (decodedDocuments < documentBytes.size()) {
      RecordReader decoder = new RecordReader();
      for (; decodedDocuments < documentBytes.size(); decodedDocuments++) {
        Document d = documentBytes.get(decodedDocuments);
        try {
          decoder.read(ByteBuffer.wrap(d.bytes, d.offset, d.length), d.index, events);
        } catch (CorruptRecordException e) {
          throw new IllegalStateException("document " + Long.toHexString(d.index) + " passed its check but not decoding", e);
        }
      }
    }
    return events;
  }

  /** The documents' bytes in index order (empty for a batch of directly added events). */
  public List<Document> documentBytes() {
    return documentBytes;
  }

  /** How many events the batch holds, without decoding them. */
  public int eventCount() {
    return documentBytes.isEmpty() ? events.size() : documentEvents;
  }

  /** Whether any event carries its own de-duplication key. */
  public boolean hasEventKeys() {
    return documentBytes.isEmpty() ? events.stream().anyMatch(e -> e.key() != null) : eventKeys;
  }

  public List<DamagedDocument> damaged() {
    return damaged;
  }

  /** The Idempotency-Key of a document in the batch. */
  public record RequestKey(long index, String key) {}

  /** Documents of the batch that carry an Idempotency-Key, in index order. */
  public List<RequestKey> requestKeys() {
    return requestKeys;
  }

  /** Records the Idempotency-Key of document {@code index} (its events are already added). */
  public void addRequestKey(long index, String key) {
    requestKeys.add(new RequestKey(index, key));
  }

  /** Index of the first document in the batch, or -1 when empty. */
  public long firstIndex() {
    return firstIndex;
  }

  /** Index of the last document in the batch (the offset to commit), or -1 when empty. */
  public long lastIndex() {
    return lastIndex;
  }

  /**
   * The last queue index the read went through: the last document of the batch, or a later one that
   * belongs to another flush lane (see {@link LaneShare}) and was passed over unread. Every document of
   * this lane up to here is in the batch or committed before it.
   */
  public long passedTo() {
    return passedTo;
  }

  /** True when the read found nothing at all: no document of this lane, and none of another passed over. */
  public boolean readNothing() {
    return passedTo < 0;
  }

  /** Records a document of another flush lane, passed over unread. */
  public void pass(long index) {
    passedTo = Math.max(passedTo, index);
  }

  /** Bytes of the documents in the queue (what the backlog limit counts). */
  public long bytes() {
    return bytes;
  }

  /** Documents read, damaged ones included. */
  public int documents() {
    return documents;
  }

  /** True when there is nothing to commit: no events and no damaged documents. */
  public boolean isEmpty() {
    return documents == 0;
  }

  /** Receive time of the first event, or 0 when the batch has none. */
  public long oldestReceivedMicros() {
    if (documentBytes.isEmpty()) {
      return events.isEmpty() ? 0 : events.get(0).receivedMicros();
    }
    return oldestReceivedMicros;
  }

  /** Moves everything of {@code later} (read after this batch) into this one. */
  public void append(Batch later) {
    passedTo = Math.max(passedTo, later.passedTo);
    if (later.isEmpty()) {
      return;
    }
    if (later.documentBytes.isEmpty()) {
      events.addAll(later.events);
    } else {
      if (documentEvents == 0) {
        oldestReceivedMicros = later.oldestReceivedMicros;
      }
      documentBytes.addAll(later.documentBytes);
      documentEvents += later.documentEvents;
      eventKeys |= later.eventKeys;
    }
    damaged.addAll(later.damaged);
    requestKeys.addAll(later.requestKeys);
    if (firstIndex < 0) {
      firstIndex = later.firstIndex;
    }
    lastIndex = later.lastIndex;
    bytes += later.bytes;
    documents += later.documents;
  }

  /**
   * Records one checked document by its bytes.
   *
   * @param firstReceivedMicros receive time of its first event (when it has any)
   * @param eventKeys whether any of its events carries its own key
   */
  public void addDocument(Document d, long firstReceivedMicros, boolean eventKeys) {
    if (documentEvents == 0 && d.events > 0) {
      oldestReceivedMicros = firstReceivedMicros;
    }
    documentBytes.add(d);
    documentEvents += d.events;
    this.eventKeys |= eventKeys;
    addDocument(d.index, d.length);
  }

  /** Records one document read (its events already added to {@link #events()}, or none: checked only). */
  public void addDocument(long index, long documentBytes) {
    if (firstIndex < 0) {
      firstIndex = index;
    }
    lastIndex = index;
    passedTo = Math.max(passedTo, index);
    bytes += documentBytes;
    documents++;
  }

  /** Records one document that could not be read. */
  public void addDamaged(DamagedDocument d) {
    damaged.add(d);
    addDocument(d.index(), Math.max(0, d.bytes()));
  }

  public void clear() {
    events.clear();
    documentBytes.clear();
    decodedDocuments = 0;
    documentEvents = 0;
    eventKeys = false;
    oldestReceivedMicros = 0;
    damaged.clear();
    requestKeys.clear();
    firstIndex = -1;
    lastIndex = -1;
    passedTo = -1;
    bytes = 0;
    documents = 0;
  }
}
