package io.logrouter.event;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The on-disk form of one ingest request in the queue: one Chronicle document per request, so a
 * request is appended whole or not at all (a crash cannot leave half of it to be flushed).
 *
 * <pre>
 * document := version:u8 (= 2)  crc32c:i32  count:i32  request_key:str  event2{count}   (since 0.2)
 *           | version:u8 (= 1)  count:i32  event1{count}                             (0.1; still read)
 * event1   := ts_micros:i64  received_micros:i64  level:str  source:str  message:str  attributes:str
 * event2   := event1  event_key:str
 * str      := byte_length:i32 (-1 = null)  UTF-8 bytes
 * </pre>
 * {@code request_key} is the request's Idempotency-Key and {@code event_key} an event's own
 * de-duplication key (an Elasticsearch {@code _id}, or {@code dedup.field}); both usually null.
 * The CRC-32C covers the version byte and every byte after the checksum, so a flipped bit anywhere
 * in the document, a torn tail or an overwritten version is detected instead of flushed as garbage.
 * Times are microseconds since the epoch, UTC. {@code attributes} is the UTF-8 text of a JSON object.
 * Integers are little-endian (Chronicle's native order).
 */
public final class RecordFormat {
  public static final byte VERSION = 2;
  /** The unchecked format of the first release: read, never written. */
  public static final byte VERSION_1 = 1;
  static final int CRC_OFFSET = 1;
  /** Offset of the event count, patched after the last event is written. */
  static final int COUNT_OFFSET = 5;
  static final int V1_COUNT_OFFSET = 1;
  static final int NULL_LENGTH = -1;

  private RecordFormat() {}

  static void writeHeader(RecordBuffer out, String requestKey) {
    out.writeByte(VERSION);
    out.writeInt(0);
    out.writeInt(0);
    writeString(out, requestKey);
  }

  /** Completes a document: patches its event count, then its checksum over everything else. */
  static void seal(RecordBuffer out, int documentStart, int count) {
    out.patchInt(documentStart + COUNT_OFFSET, count);
    CRC32C crc = new CRC32C();
    crc.update(VERSION);
    crc.update(out.array(), documentStart + COUNT_OFFSET, out.length() - documentStart - COUNT_OFFSET);
    out.patchInt(documentStart + CRC_OFFSET, (int) crc.getValue());
  }

  /**
   * The checksum a version-2 document should carry: over its version byte and everything after the
   * checksum field. {@code doc} is positioned at the document's first byte and left unchanged.
   */
  static int checksumOf(ByteBuffer doc) {
    CRC32C crc = new CRC32C();
    crc.update(doc.get(doc.position()));
    ByteBuffer rest = doc.duplicate();
    rest.position(doc.position() + COUNT_OFFSET);
    crc.update(rest);
    return (int) crc.getValue();
  }

  /** Writes a Java string as {@code str}; {@code null} as length -1. */
  static void writeString(RecordBuffer out, String s) {
    if (s == null) {
      out.writeInt(NULL_LENGTH);
      return;
    }
    int lengthAt = out.length();
    out.writeInt(0);
    Utf8.encode(out, s);
    out.patchInt(lengthAt, out.length() - lengthAt - 4);
  }

  static void writeBytes(RecordBuffer out, byte[] utf8, int offset, int length) {
    out.writeInt(length);
    out.write(utf8, offset, length);
  }
}
