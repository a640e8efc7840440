package io.logrouter.event;

/**
 * Writes normalized events into one queue document: the one place every receiver (JSON, OTLP, Loki,
 * Elasticsearch, syslog, ...) goes through, so the level mapping and the limits the database
 * enforces are applied alike whatever the protocol. Use: {@link #begin}, then {@link #add} per
 * event, then {@link #finish}. One instance per ingest thread.
 */
public final class EventWriter {
  /** level is VARCHAR(16), source VARCHAR(255): characters (code points), as MySQL counts them. */
  public static final int MAX_LEVEL_CHARS = 16;
  public static final int MAX_SOURCE_CHARS = 255;
  /** MEDIUMTEXT, the message column, holds 2^24 - 1 bytes. */
  public static final long MAX_MESSAGE_BYTES = (1L << 24) - 1;

  private final long maxMessageBytes;
  private RecordBuffer out;
  private int documentStart;
  private int count;

  /** @param maxMessageBytes largest message in UTF-8 bytes; more is a 413 naming the event */
  public EventWriter(long maxMessageBytes) {
    this.maxMessageBytes = Math.min(maxMessageBytes, MAX_MESSAGE_BYTES);
  }

  /** Starts a document at the end of {@code buffer} (usually just cleared). */
  public void begin(RecordBuffer buffer) {
    begin(buffer, null);
  }

  /** @param requestKey the request's Idempotency-Key, or null: a retried request lands once */
  public void begin(RecordBuffer buffer, String requestKey) {
    this.out = buffer;
    this.documentStart = buffer.length();
    this.count = 0;
    RecordFormat.writeHeader(buffer, requestKey);
  }

  /**
   * Adds one event.
   *
   * @param index the event's position in the request, for error messages
   * @param level as sent (normalized here: upper case, WARNING → WARN, null or blank → INFO)
   * @param attributes UTF-8 JSON object text ({@code {}} when none)
   * @throws InvalidEventException when a field is over what the database can hold
   */
  public void add(int index, long tsMicros, long receivedMicros, String level, String source, String message,
      byte[] attributes, int attributesOffset, int attributesLength) throws InvalidEventException {
    add(index, tsMicros, receivedMicros, level, source, message, attributes, attributesOffset, attributesLength, null);
  }

  /**
   * Adds one event with its own de-duplication key (an Elasticsearch {@code _id}): an event whose key
   * is already in MySQL (within dedup.window) is not stored again.
   */
  public void add(int index, long tsMicros, long receivedMicros, String level, String source, String message,
      byte[] attributes, int attributesOffset, int attributesLength, String eventKey) throws InvalidEventException {
    String normalized = LevelNames.normalize(level);
    if (!LevelNames.fits(normalized)) { // the level rule lives in LevelNames, shared with the query API
      throw new InvalidEventException(index, "level", "level is longer than " + MAX_LEVEL_CHARS + " characters");
    }
    FieldReader.checkText(normalized, index, "level");
    checkText(index, "source", source, MAX_SOURCE_CHARS);
    checkText(index, "message", message, Integer.MAX_VALUE);
    if (!Timestamps.inRange(tsMicros)) {
      throw new InvalidEventException(index, "timestamp", "timestamp is out of range (years 1000 to 9999)");
    }
    int eventStart = out.length();
    out.writeLong(tsMicros);
    out.writeLong(receivedMicros);
    RecordFormat.writeString(out, normalized);
    RecordFormat.writeString(out, source);
    int messageStart = out.length();
    RecordFormat.writeString(out, message);
    if (out.length() - messageStart - 4 > maxMessageBytes) {
      // Only known once encoded; the event's bytes go, so a refused event never leaves the document torn.
      out.truncate(eventStart);
      throw new InvalidEventException(413, index, "message", "message is over " + maxMessageBytes + " bytes");
    }
    RecordFormat.writeBytes(out, attributes, attributesOffset, attributesLength);
    RecordFormat.writeString(out, eventKey);
    count++;
  }

  /** Events added since {@link #begin}. */
  public int count() {
    return count;
  }

  /** Completes the document (count and checksum). @return the number of events in it */
  public int finish() {
    RecordFormat.seal(out, documentStart, count);
    return count;
  }

  private static void checkText(int index, String field, String value, int maxChars) throws InvalidEventException {
    if (value == null) {
      return;
    }
    if (maxChars != Integer.MAX_VALUE && value.length() > maxChars
        && value.codePointCount(0, value.length()) > maxChars) {
      throw new InvalidEventException(index, field, field + " is longer than " + maxChars + " characters");
    }
    FieldReader.checkText(value, index, field);
  }
}
