package io.logrouter.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A growable little-endian byte buffer a queue document is built in before its one append: plain
 * Java bytes, so the record format knows nothing of the queue's storage, and the checksum runs on
 * an array (the CRC-32C intrinsic). One per ingest thread, reused across requests.
 */
public final class RecordBuffer {
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] bytes;
  private int position;

  public RecordBuffer(int initialCapacity) {
    bytes = new byte[Math.max(64, initialCapacity)];
  }

  public void clear() {
    position = 0;
  }

  /** The bytes written so far are {@code array()[0..length())}. */
  public byte[] array() {
    return bytes;
  }

  public int length() {
    return position;
  }

  /** Forgets everything written after the first {@code length} bytes (an event refused half-way). */
  void truncate(int length) {
    if (length < 0 || length > position) {
      throw new IllegalArgumentException("truncate to " + length + " of " + position + " bytes");
    }
    position = length;
  }

  void writeByte(byte b) {
    ensure(1);
    bytes[position++] = b;
  }

  void writeInt(int v) {
    ensure(4);
    INT.set(bytes, position, v);
    position += 4;
  }

  void writeLong(long v) {
    ensure(8);
    LONG.set(bytes, position, v);
    position += 8;
  }

  void write(byte[] src, int offset, int length) {
    ensure(length);
    System.arraycopy(src, offset, bytes, position, length);
    position += length;
  }

  /** Overwrites an int written earlier (a length or count known only later). */
  void patchInt(int at, int v) {
    INT.set(bytes, at, v);
  }

  /** Makes room for {@code n} more bytes; callers writing byte by byte reserve first. */
  void ensure(int n) {
    if (bytes.length - position < n) {
      bytes = Arrays.copyOf(bytes, Math.max(position + n, bytes.length * 2));
    }
  }

  /** Direct access for the UTF-8 encoder, after {@link #ensure}. */
  void put(byte b) {
    bytes[position++] = b;
  }
}
