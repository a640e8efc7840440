package io.logrouter.event;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Decodes queue documents written in {@link RecordFormat} (versions 1 and 2) from plain bytes: the
 * queue copies each document out of its mapped file first, so nothing here knows about Chronicle.
 * One instance per reading thread.
 */
public final class RecordReader {
  /** The Idempotency-Key of the document read last, or null. */
  private String requestKey;
  /** Of the document checked last: whether any event carries its own key, and the first event's receive time. */
  private boolean eventKeys;
  private long firstReceivedMicros;
  /** The smallest event: two longs and four string lengths. */
  private static final int MIN_EVENT_BYTES = 8 + 8 + 4 * 4;

  /**
   * Decodes every event of one document into {@code out}, all or nothing: on failure {@code out}
   * is left as it was.
   *
   * @param doc the document's bytes from its position to its limit; its position is not moved
   * @return how many events the document held
   * @throws CorruptRecordException when the checksum, version or structure is wrong
   */
  public int read(ByteBuffer doc, long queueIndex, List<LogEvent> out) throws CorruptRecordException {
    ByteBuffer in = doc.slice().order(ByteOrder.LITTLE_ENDIAN);
    int sizeBefore = out.size();
    try {
      int count = header(in);
      boolean version2 = in.get(0) == RecordFormat.VERSION;
      if (count < 0 || (long) count * MIN_EVENT_BYTES > in.remaining()) {
        throw new CorruptRecordException("event count " + count + " does not fit in " + in.remaining() + " bytes");
      }
      for (int i = 0; i < count; i++) {
        long ts = in.getLong();
        long received = in.getLong();
        String level = readString(in);
        String source = readString(in);
        String message = readString(in);
        String attributes = readString(in);
        String key = version2 ? readString(in) : null;
        if (level == null || attributes == null) {
          throw new CorruptRecordException("event " + i + " has no level or attributes");
        }
        out.add(new LogEvent(queueIndex, ts, received, level, source, message, attributes, key));
      }
      if (in.hasRemaining()) {
        throw new CorruptRecordException(in.remaining() + " bytes after the last event");
      }
      return count;
    } catch (CorruptRecordException e) {
      out.subList(sizeBefore, out.size()).clear();
      throw e;
    } catch (RuntimeException e) {
      // A decoding bug or a structure no checksum caught: the document is reported, never half-used.
      out.subList(sizeBefore, out.size()).clear();
      throw new CorruptRecordException("undecodable: " + e);
    }
  }

  /** The request key (Idempotency-Key) of the document last read or checked, or null. */
  public String requestKey() {
    return requestKey;
  }

  /**
   * Checks one document exactly as {@link #read} would accept or refuse it, without building events:
   * the checksum, the version, that every length adds up, and that each event has a level and
   * attributes. What {@code queue verify} runs, at memory speed, and what the flusher runs before it
   * streams a document's bytes to the database.
   *
   * @return how many events the document holds
   */
  public int check(ByteBuffer doc) throws CorruptRecordException {
    ByteBuffer in = doc.slice().order(ByteOrder.LITTLE_ENDIAN);
    eventKeys = false;
    firstReceivedMicros = 0;
    try {
      int count = header(in);
      if (count < 0 || (long) count * MIN_EVENT_BYTES > in.remaining()) {
        throw new CorruptRecordException("event count " + count + " does not fit in " + in.remaining() + " bytes");
      }
      int strings = in.get(0) == RecordFormat.VERSION ? 5 : 4;
      for (int i = 0; i < count; i++) {
        if (i == 0) {
          firstReceivedMicros = in.getLong(in.position() + 8);
        }
        in.position(in.position() + 16);
        for (int field = 0; field < strings; field++) {
          int length = in.getInt();
          if (length == RecordFormat.NULL_LENGTH) {
            if (field == RecordCursor.LEVEL || field == RecordCursor.ATTRIBUTES) {
              throw new CorruptRecordException("event " + i + " has no level or attributes");
            }
            continue;
          }
          if (length < 0 || length > in.remaining()) {
            throw new CorruptRecordException("string length " + length + " with " + in.remaining() + " bytes left");
          }
          eventKeys |= field == RecordCursor.KEY;
          in.position(in.position() + length);
        }
      }
      if (in.hasRemaining()) {
        throw new CorruptRecordException(in.remaining() + " bytes after the last event");
      }
      return count;
    } catch (RuntimeException e) {
      throw new CorruptRecordException("undecodable: " + e);
    }
  }

  /** Whether an event of the document last checked carries its own de-duplication key. */
  public boolean eventKeys() {
    return eventKeys;
  }

  /** Receive time of the first event of the document last checked (0 when it has none). */
  public long firstReceivedMicros() {
    return firstReceivedMicros;
  }

  /** @return the event count, with {@code in} positioned at the first event */
  private int header(ByteBuffer in) throws CorruptRecordException {
    if (!in.hasRemaining()) {
      throw new CorruptRecordException("empty document");
    }
    byte version = in.get(0);
    if (version == RecordFormat.VERSION) {
      if (in.remaining() < RecordFormat.COUNT_OFFSET + 4) {
        throw new CorruptRecordException("document of " + in.remaining() + " bytes is shorter than its header");
      }
      int stored = in.getInt(RecordFormat.CRC_OFFSET);
      int actual = RecordFormat.checksumOf(in);
      if (stored != actual) {
        throw new CorruptRecordException(String.format("checksum mismatch (stored %08x, computed %08x)", stored, actual));
      }
      in.position(RecordFormat.COUNT_OFFSET);
      int count = in.getInt();
      requestKey = readString(in);
      return count;
    }
    if (version == RecordFormat.VERSION_1) {
      requestKey = null;
      in.position(RecordFormat.V1_COUNT_OFFSET);
      return in.getInt();
    }
    throw new CorruptRecordException("unknown format version " + version + " (this router reads 1 and 2)");
  }

  private static String readString(ByteBuffer in) throws CorruptRecordException {
    if (in.remaining() < 4) {
      throw new CorruptRecordException("a string length runs past the document's end");
    }
    int length = in.getInt();
    if (length == RecordFormat.NULL_LENGTH) {
      return null;
    }
    if (length < 0 || length > in.remaining()) {
      throw new CorruptRecordException("string length " + length + " with " + in.remaining() + " bytes left");
    }
    String s;
    if (in.hasArray()) {
      s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
    } else {
      byte[] b = new byte[length];
      in.get(in.position(), b);
      s = new String(b, StandardCharsets.UTF_8);
    }
    in.position(in.position() + length);
    return s;
  }
}
