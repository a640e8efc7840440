package io.logrouter.buffer;

/**
 * The queue's read side as the flusher sees it (Logstash's acked queue: read a batch, commit it,
 * then release what is committed). Implemented by {@link QueueReader}; tests use in-memory fakes.
 */
public interface BatchSource extends AutoCloseable {
  /** Positions reading just after {@code committedIndex} (-1: from the start) and forgets anything read. */
  void resumeAfter(long committedIndex);

  /**
   * Reads the next documents, at most about {@code maxBytes}. Never blocks waiting for data.
   *
   * @return the documents read, possibly an empty batch
   */
  Batch next(long maxBytes);

  /** Everything up to {@code committedIndex} is in MySQL: its storage may be freed. */
  void release(long committedIndex);

  /** Index of the last document written to the queue, damaged or not, or -1 when none. */
  long lastIndex();

  /** Documents written after {@code committedIndex}, from the queue's index (none is read or decoded). */
  long documentsAfter(long committedIndex);

  /**
   * What waits in (committedIndex, upToIndex]: read, not delivered, to size the backlog at start-up
   * (documents appended since are counted by ingest itself).
   */
  Backlog measure(long committedIndex, long upToIndex);

  /** Documents, events and bytes waiting; damaged documents count with their length when known. */
  record Backlog(long documents, long events, long bytes, long damaged) {}

  @Override
  void close();
}
