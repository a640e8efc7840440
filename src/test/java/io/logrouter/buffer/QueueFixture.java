package io.logrouter.buffer;

import io.logrouter.event.BodyFormat;
import io.logrouter.event.EventWriter;
import io.logrouter.event.RecordBuffer;
import io.logrouter.event.IngestParser;
import io.logrouter.event.InvalidEventException;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Writes real queue files the way ingest does (IngestParser into EventQueue), with numbered events
 * ({@code "seq": N}, message "seq event"), and damages them the way disks and crashes do.
 */
final class QueueFixture {
  /** Where one document sits: its index, file, and the byte range of its content (header: the 4 bytes before). */
  record Doc(long index, File file, long contentPos, int length, int firstSeq, int events) {
    boolean overlaps(long from, long to) {
      return from < contentPos + length && to > contentPos - 4;
    }
  }

  private QueueFixture() {}

  /** Appends {@code documents} documents of {@code eventsPerDoc} events, seq numbers from {@code firstSeq}. */
  static List<Doc> append(EventQueue queue, int documents, int eventsPerDoc, int firstSeq) {
    IngestParser parser = new IngestParser();
    RecordBuffer out = new RecordBuffer(64 * 1024);
    EventWriter writer = new EventWriter(1 << 20);
    List<Long> indexes = new ArrayList<>();
    int seq = firstSeq;
    for (int d = 0; d < documents; d++) {
      StringBuilder body = new StringBuilder();
      for (int e = 0; e < eventsPerDoc; e++) {
        body.append("{\"message\":\"seq event\",\"seq\":").append(seq++).append(",\"pad\":\"")
            .append("x".repeat(40)).append("\"}\n");
      }
      byte[] b = body.toString().getBytes(StandardCharsets.UTF_8);
      out.clear();
      writer.begin(out);
      try {
        parser.parse(b, 0, b.length, BodyFormat.NDJSON, 1_700_000_000_000_000L, writer);
        writer.finish();
        indexes.add(queue.append(out.array(), 0, out.length()));
      } catch (InvalidEventException | DocumentTooLargeException e) {
        throw new AssertionError(e);
      }
    }
    return locate(queue, indexes, eventsPerDoc, firstSeq);
  }

  /** Finds each document's file and content offset (Chronicle's mapped positions are file offsets). */
  private static List<Doc> locate(EventQueue queue, List<Long> indexes, int eventsPerDoc, int firstSeq) {
    List<Doc> docs = new ArrayList<>();
    try (ExcerptTailer t = queue.createTailer()) {
      for (int i = 0; i < indexes.size(); i++) {
        if (!t.moveToIndex(indexes.get(i))) {
          throw new AssertionError("cannot find index " + Long.toHexString(indexes.get(i)));
        }
        try (DocumentContext dc = t.readingDocument()) {
          Bytes<?> b = dc.wire().bytes();
          docs.add(new Doc(dc.index(), t.currentFile(), b.readPosition(), (int) b.readRemaining(),
              firstSeq + i * eventsPerDoc, eventsPerDoc));
        }
      }
    }
    return docs;
  }

  static EventQueue open(Path dir, TimeProvider time) {
    return EventQueue.open(dir, "TEN_MINUTELY", time);
  }

  static void overwrite(File file, long pos, byte[] bytes) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
      raf.seek(pos);
      raf.write(bytes);
    }
  }

  static byte readByte(File file, long pos) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file, "r")) {
      raf.seek(pos);
      return raf.readByte();
    }
  }

  static void truncate(File file, long length) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
      raf.setLength(length);
    }
  }

  /** Appends one 64-byte document of zeros (for tests of the queue's indexes and locks, not of records). */
  static long appendBlank(EventQueue queue) {
    byte[] doc = new byte[64];
    try {
      return queue.append(doc, 0, doc.length);
    } catch (DocumentTooLargeException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] filled(int length, int value) {
    byte[] b = new byte[length];
    java.util.Arrays.fill(b, (byte) value);
    return b;
  }
}
