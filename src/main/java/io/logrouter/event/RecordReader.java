package io.logrouter.event;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import net.openhft.chronicle.bytes.Bytes;

/** Decodes queue documents written in {@link RecordFormat}. One instance per reading thread. */
public final class RecordReader {
  private byte[] scratch = new byte[4096];

  /**
   * Reads every event of one document.
   *
   * @return how many events the document held
   * @throws IllegalStateException on an unknown format version or a truncated document
   */
  public int read(Bytes<?> in, long queueIndex, Consumer<LogEvent> sink) {
    byte version = in.readByte();
    if (version != RecordFormat.VERSION) {
      throw new IllegalStateException("queue record at index " + queueIndex + " has format version " + version
          + "; this router reads version " + RecordFormat.VERSION);
    }
    int count = in.readInt();
    for (int i = 0; i < count; i++) {
      long ts = in.readLong();
      long received = in.readLong();
      String level = readString(in);
      String source = readString(in);
      String message = readString(in);
      String attributes = readString(in);
      sink.accept(new LogEvent(queueIndex, ts, received, level, source, message, attributes));
    }
    return count;
  }

  private String readString(Bytes<?> in) {
    int length = in.readInt();
    if (length == RecordFormat.NULL_LENGTH) {
      return null;
    }
    if (length < 0 || length > in.readRemaining()) {
      throw new IllegalStateException("corrupt queue record: string length " + length);
    }
    if (scratch.length < length) {
      scratch = new byte[Math.max(length, scratch.length * 2)];
    }
    in.read(scratch, 0, length);
    return new String(scratch, 0, length, StandardCharsets.UTF_8);
  }
}
