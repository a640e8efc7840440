package io.logrouter.sink;

import io.logrouter.buffer.Batch;
import io.logrouter.event.CorruptRecordException;
import io.logrouter.event.EventWriter;
import io.logrouter.event.InvalidEventException;
import io.logrouter.event.LogEvent;
import io.logrouter.event.RecordBuffer;
import io.logrouter.event.RecordReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Builds batches of real queue documents (the record format ingest writes), without a queue. */
final class Documents {
  private Documents() {}

  /** One document per event, indexes 1, 2, ...; each document's bytes in an array of its own. */
  static Batch batchOf(List<LogEvent> events) {
    Batch batch = new Batch();
    RecordReader check = new RecordReader();
    long index = 1;
    for (LogEvent e : events) {
      RecordBuffer buffer = new RecordBuffer(1024);
      EventWriter writer = new EventWriter(EventWriter.MAX_MESSAGE_BYTES);
      writer.begin(buffer);
      byte[] attributes = e.attributes().getBytes(StandardCharsets.UTF_8);
      try {
        writer.add(0, e.tsMicros(), e.receivedMicros(), e.level(), e.source(), e.message(), attributes, 0,
            attributes.length, e.key());
      } catch (InvalidEventException ex) {
        throw new IllegalArgumentException(ex);
      }
      writer.finish();
      byte[] doc = Arrays.copyOf(buffer.array(), buffer.length());
      try {
        int count = check.check(ByteBuffer.wrap(doc));
        batch.addDocument(new Batch.Document(index++, doc, 0, doc.length, count), check.firstReceivedMicros(),
            check.eventKeys());
      } catch (CorruptRecordException ex) {
        throw new IllegalStateException(ex);
      }
    }
    return batch;
  }
}
