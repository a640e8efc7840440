package io.logrouter.buffer;

import io.logrouter.event.LogEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Consecutive queue documents read for one flush: their events, the documents found damaged among
 * them, and the index range they cover. Committing a batch means committing {@link #lastIndex()}:
 * damaged documents are part of the range, so they are reported once and never read again.
 *
 * <p>Thread ownership: the reading (flusher) thread.
 */
public final class Batch {
  private final List<LogEvent> events = new ArrayList<>();
  private final List<DamagedDocument> damaged = new ArrayList<>();
  private final List<RequestKey> requestKeys = new ArrayList<>();
  private long firstIndex = -1;
  private long lastIndex = -1;
  private long bytes;
  private int documents;

  public List<LogEvent> events() {
    return events;
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
    return events.isEmpty() ? 0 : events.get(0).receivedMicros();
  }

  /** Moves everything of {@code later} (read after this batch) into this one. */
  public void append(Batch later) {
    if (later.isEmpty()) {
      return;
    }
    events.addAll(later.events);
    damaged.addAll(later.damaged);
    requestKeys.addAll(later.requestKeys);
    if (firstIndex < 0) {
      firstIndex = later.firstIndex;
    }
    lastIndex = later.lastIndex;
    bytes += later.bytes;
    documents += later.documents;
  }

  /** Records one document read (its events already added to {@link #events()}). */
  public void addDocument(long index, long documentBytes) {
    if (firstIndex < 0) {
      firstIndex = index;
    }
    lastIndex = index;
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
    damaged.clear();
    requestKeys.clear();
    firstIndex = -1;
    lastIndex = -1;
    bytes = 0;
    documents = 0;
  }
}
