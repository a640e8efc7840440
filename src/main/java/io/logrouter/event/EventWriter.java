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
  private int eventsStart;
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
    this.eventsStart = buffer.length();
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
    int eventStart = head(index, tsMicros, receivedMicros, level, source, message);
    int messageStart = out.length();
    RecordFormat.writeString(out, message);
    tail(index, eventStart, messageStart, attributes, attributesOffset, attributesLength, eventKey);
  }

  /**
   * As {@link #add(int, long, long, String, String, String, byte[], int, int)}, with the message given as
   * its UTF-8 bytes {@code text[messageOffset, messageOffset + messageLength)} (no message when
   * {@code messageOffset} is negative), copied as they are: the caller guarantees well-formed UTF-8,
   * which cannot hold a lone surrogate. The fast path of JSON ingest ({@link VerbatimEventScanner}).
   */
  void addUtf8(int index, long tsMicros, long receivedMicros, String level, String source, byte[] text,
      int messageOffset, int messageLength, byte[] attributes, int attributesOffset, int attributesLength)
      throws InvalidEventException {
    int eventStart = head(index, tsMicros, receivedMicros, level, source, null);
    int messageStart = out.length();
    if (messageOffset < 0) {
      RecordFormat.writeString(out, null);
    } else {
      RecordFormat.writeBytes(out, text, messageOffset, messageLength);
    }
    tail(index, eventStart, messageStart, attributes, attributesOffset, attributesLength, null);
  }

  /**
   * Checks the level, source, message text (null: nothing to check) and time, and writes the times,
   * level and source. @return where the event starts
   */
  private int head(int index, long tsMicros, long receivedMicros, String level, String source, String message)
      throws InvalidEventException {
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
    return eventStart;
  }

  /** Checks the message's size (only known once written), writes the rest and counts the event. */
  private void tail(int index, int eventStart, int messageStart, byte[] attributes, int attributesOffset,
      int attributesLength, String eventKey) throws InvalidEventException {
    if (out.length() - messageStart - 4 > maxMessageBytes) {
      // The event's bytes go, so a refused event never leaves the document torn.
      out.truncate(eventStart);
      throw new InvalidEventException(413, index, "message", "message is over " + maxMessageBytes + " bytes");
    }
    RecordFormat.writeBytes(out, attributes, attributesOffset, attributesLength);
    RecordFormat.writeString(out, eventKey);
    count++;
  }

  /** Drops every event added since {@link #begin}: the document is as {@code begin} left it. */
  void discardEvents() {
    out.truncate(eventsStart);
    count = 0;
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
