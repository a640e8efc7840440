package io.logrouter.event;

/**
 * One normalized event as the flusher reads it back from the queue.
 *
 * @param queueIndex Chronicle index of the request (document) that carried it
 * @param attributes JSON object text (never null; {@code {}} when the event had no other fields)
 * @param key the event's de-duplication key, or null (see {@link RecordFormat})
 */
public record LogEvent(long queueIndex, long tsMicros, long receivedMicros, String level, String source,
    String message, String attributes, String key) {

  /** An event without a de-duplication key. */
  public LogEvent(long queueIndex, long tsMicros, long receivedMicros, String level, String source, String message,
      String attributes) {
    this(queueIndex, tsMicros, receivedMicros, level, source, message, attributes, null);
  }
}
