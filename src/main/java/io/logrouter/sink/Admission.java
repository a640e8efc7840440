package io.logrouter.sink;

import io.logrouter.buffer.Batch;
import io.logrouter.event.LogEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which events of a batch are to be stored once {@link IngestKeys} has ruled out duplicates: usually
 * all of them, answered without decoding a single event; else all but some documents and some
 * events, named by document index and position inside the document (stable across re-reads).
 */
final class Admission {
  /** An event by its document and its 0-based position in it. */
  record EventRef(long documentIndex, int ordinal) {}

  private final Batch batch;
  private final Set<Long> droppedDocuments;
  private final Set<EventRef> droppedEvents;
  private List<LogEvent> admitted;

  private Admission(Batch batch, Set<Long> droppedDocuments, Set<EventRef> droppedEvents) {
    this.batch = batch;
    this.droppedDocuments = droppedDocuments;
    this.droppedEvents = droppedEvents;
  }

  static Admission all(Batch batch) {
    return new Admission(batch, Set.of(), Set.of());
  }

  static Admission without(Batch batch, Set<Long> droppedDocuments, Set<EventRef> droppedEvents) {
    return new Admission(batch, droppedDocuments, droppedEvents);
  }

  boolean admitsAll() {
    return droppedDocuments.isEmpty() && droppedEvents.isEmpty();
  }

  boolean admits(long documentIndex, int ordinal) {
    return admitsAll() || !droppedDocuments.contains(documentIndex)
        && !droppedEvents.contains(new EventRef(documentIndex, ordinal));
  }

  /** How many events are admitted. */
  int count() {
    return admitsAll() ? batch.eventCount() : events().size();
  }

  /** The admitted events as Strings, in order (decodes the batch: the rarer paths only). */
  List<LogEvent> events() {
    if (admitsAll()) {
      return batch.events();
    }
    if (admitted == null) {
      List<LogEvent> out = new ArrayList<>(batch.eventCount());
      forEachEvent(batch, (event, ordinal) -> {
        if (admits(event.queueIndex(), ordinal)) {
          out.add(event);
        }
      });
      admitted = out;
    }
    return admitted;
  }

  interface EventVisitor {
    void visit(LogEvent event, int ordinalInDocument);
  }

  /** Visits events with their position inside their document: stable across re-reads of the queue. */
  static void forEachEvent(Batch batch, EventVisitor visitor) {
    long document = Long.MIN_VALUE;
    int ordinal = 0;
    for (LogEvent e : batch.events()) {
      ordinal = e.queueIndex() == document ? ordinal + 1 : 0;
      document = e.queueIndex();
      visitor.visit(e, ordinal);
    }
  }
}
