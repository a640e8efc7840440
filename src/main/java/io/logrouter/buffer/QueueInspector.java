package io.logrouter.buffer;

import io.logrouter.event.LogEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Offline walks over a queue directory for operators ({@code log-router queue verify|dump}): the
 * same reader the flusher uses, with nothing quarantined or deleted and no grace period (no writer
 * runs, so an unreadable header is damage at once).
 */
public final class QueueInspector implements AutoCloseable {
  /** Documents read per step: small, so verifying a large queue needs little heap. */
  private static final long STEP_BYTES = 4L << 20;

  private final EventQueue queue;
  private final Path dir;

  private QueueInspector(Path dir, EventQueue queue) {
    this.dir = dir;
    this.queue = queue;
  }

  /** @throws IllegalArgumentException when {@code dir} holds no queue */
  public static QueueInspector open(Path dir, String rollCycleName) {
    try (var files = Files.list(dir)) {
      if (files.noneMatch(p -> p.getFileName().toString().endsWith(".cq4"))) {
        throw new IllegalArgumentException(dir + " holds no queue files (*.cq4)");
      }
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot read " + dir + ": " + e.getMessage());
    }
    return new QueueInspector(dir, EventQueue.openReadOnly(dir, rollCycleName));
  }

  /** What one cycle file holds. */
  public static final class CycleReport {
    public final String file;
    public long documents;
    public long events;
    public long bytes;
    public final List<DamagedDocument> damaged = new ArrayList<>();

    CycleReport(String file) {
      this.file = file;
    }
  }

  /** Reads every document from the start and tallies it per cycle file. */
  public Map<Integer, CycleReport> verify() {
    Map<Integer, CycleReport> cycles = new TreeMap<>();
    walk(-1, Long.MAX_VALUE, new ReadListener() {
      @Override
      public void document(int cycle, long index, int events, long bytes) {
        CycleReport r = report(cycles, cycle);
        r.documents++;
        r.events += events;
        r.bytes += bytes;
      }

      @Override
      public void damaged(DamagedDocument d) {
        CycleReport r = report(cycles, d.cycle());
        r.documents++;
        r.bytes += Math.max(0, d.bytes());
        r.damaged.add(d);
      }
    }, batch -> { }, true);
    return cycles;
  }

  /** Hands each batch read after {@code afterIndex} to {@code batches}, up to about {@code maxDocuments}. */
  public void dump(long afterIndex, long maxDocuments, Consumer<Batch> batches) {
    walk(afterIndex, maxDocuments, ReadListener.NONE, batches, false);
  }

  private void walk(long afterIndex, long maxDocuments, ReadListener listener, Consumer<Batch> batches,
      boolean checkOnly) {
    long last = queue.lastIndex();
    try (QueueReader reader = QueueReader.offline(queue, listener, checkOnly)) {
      reader.resumeAfter(afterIndex);
      long documents = 0;
      Batch batch;
      do {
        batch = reader.next(STEP_BYTES);
        documents += batch.documents();
        batches.accept(batch);
      } while (!batch.isEmpty() && batch.lastIndex() < last && documents < maxDocuments);
    }
  }

  private CycleReport report(Map<Integer, CycleReport> cycles, int cycle) {
    return cycles.computeIfAbsent(cycle, c -> new CycleReport(queue.cycleFiles().fileOf(c).getName()));
  }

  /** The index as operators see it in logs: hexadecimal. */
  public static String hex(long index) {
    return Long.toHexString(index);
  }

  /** The cycle a document index belongs to. */
  public int cycleOf(long index) {
    return queue.rollCycle().toCycle(index);
  }

  /** Events of a batch grouped by their document index, in order. */
  public static Map<Long, List<LogEvent>> byDocument(Batch batch) {
    Map<Long, List<LogEvent>> out = new TreeMap<>();
    for (LogEvent e : batch.events()) {
      out.computeIfAbsent(e.queueIndex(), k -> new ArrayList<>()).add(e);
    }
    return out;
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    queue.close();
  }
}
