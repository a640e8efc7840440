package io.logrouter.event;

import net.openhft.chronicle.bytes.Bytes;

/**
 * The on-disk form of one ingest request in the queue: one Chronicle document per request, so a
 * request is appended whole or not at all (a crash cannot leave half of it to be flushed).
 *
 * <pre>
 * document := version:u8 (= 1)  count:i32  event{count}
 * event    := ts_micros:i64  received_micros:i64  level:str  source:str  message:str  attributes:str
 * str      := byte_length:i32 (-1 = null)  UTF-8 bytes
 * </pre>
 * Times are microseconds since the epoch, UTC. {@code attributes} is the UTF-8 text of a JSON object.
 * Integers are little-endian (Chronicle's native order). Chronicle itself marks a document complete
 * only after it is fully written, so a torn last record after kill -9 is never read.
 * A reader meeting a version it does not know stops instead of guessing.
 */
public final class RecordFormat {
  public static final byte VERSION = 1;
  /** Offset of the event count, patched after the last event is written. */
  static final int COUNT_OFFSET = 1;
  static final int NULL_LENGTH = -1;

  private RecordFormat() {}

  static void writeHeader(Bytes<?> out) {
    out.writeByte(VERSION);
    out.writeInt(0);
  }

  static void patchCount(Bytes<?> out, long documentStart, int count) {
    out.writeInt(documentStart + COUNT_OFFSET, count);
  }

  /** Writes a Java string as {@code str}; {@code null} as length -1. */
  static void writeString(Bytes<?> out, String s) {
    if (s == null) {
      out.writeInt(NULL_LENGTH);
      return;
    }
    long lengthAt = out.writePosition();
    out.writeInt(0);
    Utf8.encode(out, s);
    out.writeInt(lengthAt, (int) (out.writePosition() - lengthAt - 4));
  }

  static void writeBytes(Bytes<?> out, byte[] utf8, int offset, int length) {
    out.writeInt(length);
    out.write(utf8, offset, length);
  }
}
