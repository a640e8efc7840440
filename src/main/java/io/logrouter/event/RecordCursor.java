package io.logrouter.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Walks the events of one queue document in place: times as longs, each string field as an offset
 * and a length into the document's own bytes. No String, no copy: the flusher writes rows straight
 * from these bytes. Only for documents {@link RecordReader#check} accepted (nothing is re-checked
 * here). One instance per thread, reused across documents.
 */
public final class RecordCursor {
  /** String fields of an event, in record order. */
  public static final int LEVEL = 0;
  public static final int SOURCE = 1;
  public static final int MESSAGE = 2;
  public static final int ATTRIBUTES = 3;
  /** The event's own de-duplication key (version 2 only). */
  public static final int KEY = 4;

  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final int[] offsets = new int[5];
  private final int[] lengths = new int[5];
  private byte[] bytes;
  private int position;
  private int remaining;
  private int strings;
  private long tsMicros;
  private long receivedMicros;

  /** Positions before the first event of the document at {@code bytes[offset..offset+length)}. */
  public void open(byte[] bytes, int offset, int length) {
    this.bytes = bytes;
    if (bytes[offset] == RecordFormat.VERSION) {
      remaining = (int) INT.get(bytes, offset + RecordFormat.COUNT_OFFSET);
      position = offset + RecordFormat.COUNT_OFFSET + 4;
      position = skipString(position); // the request key
      strings = 5;
    } else {
      remaining = (int) INT.get(bytes, offset + RecordFormat.V1_COUNT_OFFSET);
      position = offset + RecordFormat.V1_COUNT_OFFSET + 4;
      strings = 4;
      lengths[KEY] = RecordFormat.NULL_LENGTH;
    }
  }

  /** Moves to the next event. @return false after the last one */
  public boolean next() {
    if (remaining == 0) {
      return false;
    }
    remaining--;
    tsMicros = (long) LONG.get(bytes, position);
    receivedMicros = (long) LONG.get(bytes, position + 8);
    int at = position + 16;
    for (int field = 0; field < strings; field++) {
      int length = (int) INT.get(bytes, at);
      offsets[field] = at + 4;
      lengths[field] = length;
      at += 4 + Math.max(0, length);
    }
    position = at;
    return true;
  }

  /** The document's bytes (what {@link #offset} points into). */
  public byte[] bytes() {
    return bytes;
  }

  public long tsMicros() {
    return tsMicros;
  }

  public long receivedMicros() {
    return receivedMicros;
  }

  /** Where field {@code field} ({@link #LEVEL} .. {@link #KEY}) of the current event starts in {@link #bytes()}. */
  public int offset(int field) {
    return offsets[field];
  }

  /** Its length in UTF-8 bytes, or -1 for null. */
  public int length(int field) {
    return lengths[field];
  }

  private int skipString(int at) {
    int length = (int) INT.get(bytes, at);
    return at + 4 + Math.max(0, length);
  }
}
