package io.logrouter.buffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers every roll cycle that ever got a document, in {@code cycles.journal} beside the queue, so a
 * cycle file that disappears from the middle of the queue is noticed and reported. Chronicle itself
 * moves a tailer over a missing file silently: to it, a missing file looks like a quiet hour.
 *
 * <p>The appender records a cycle before {@link EventQueue#append} returns, so every acknowledged
 * document's cycle is in the journal even after a kill -9. (Chronicle's own store-file listener is not
 * used: it runs on Chronicle's background releaser thread, after the append has returned, and a crash or
 * a quick close could skip it; CI caught the latter.) The line is written once per cycle: the per-append
 * cost is one volatile read.
 */
final class CycleJournal {
  static final String FILE_NAME = "cycles.journal";
  private static final Logger LOG = LoggerFactory.getLogger(CycleJournal.class);

  private final Path file;
  private final boolean writable;
  private final NavigableSet<Integer> cycles = new ConcurrentSkipListSet<>();
  /** The cycle most recently recorded: the fast path of {@link #record}. */
  private volatile int lastRecorded = Integer.MIN_VALUE;

  CycleJournal(Path queueDir, boolean writable) {
    this.file = queueDir.resolve(FILE_NAME);
    this.writable = writable;
    if (Files.exists(file)) {
      try {
        // ISO-8859-1 decodes any byte: damaged bytes make a line that does not parse, never a failed open.
        for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
          parse(line);
        }
      } catch (IOException e) {
        // The queue still works; only a missing cycle file goes unnoticed (the cycles present now are
        // recorded again at open).
        LOG.error("cannot read {} ({}): a cycle file missing from the queue may not be reported", file, e.toString());
      }
    }
  }

  private void parse(String line) {
    try {
      cycles.add(Integer.parseInt(line.trim()));
    } catch (NumberFormatException torn) {
      // a line torn by a crash mid-append, or damaged: the file is still there, and is recorded again at open
    }
  }

  /**
   * Records a cycle a document was just appended to; a file write only the first time. A write that fails
   * is logged once and not retried by later appends (they are on the ingest path): the cycle is recorded
   * again at the next open, if its file is there then.
   */
  void record(int cycle) {
    if (cycle == lastRecorded) {
      return;
    }
    if (writable && cycles.add(cycle)) {
      try {
        Files.writeString(file, cycle + "\n", StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND, StandardOpenOption.WRITE);
      } catch (IOException e) {
        cycles.remove(cycle);
        LOG.error("cannot write {} ({}): if cycle {}'s file goes missing it will not be reported", file,
            e.toString(), cycle);
      }
    }
    lastRecorded = cycle;
  }

  /** Records the cycles whose files exist at open (a queue older than the journal, or a torn line). */
  void recordAll(Iterable<Long> existing) {
    for (long cycle : existing) {
      record((int) cycle);
    }
  }

  /** Cycles strictly between {@code after} and {@code before} that once had a file. */
  NavigableSet<Integer> between(int after, int before) {
    if (before <= after + 1) {
      return new java.util.TreeSet<>();
    }
    return cycles.subSet(after, false, before, false);
  }
}
