package io.logrouter.buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import net.openhft.chronicle.queue.impl.StoreFileListener;

/**
 * Remembers every roll cycle that ever got a file, in {@code cycles.journal} beside the queue, so a
 * cycle file that disappears from the middle of the queue is noticed and reported. Chronicle itself
 * moves a tailer over a missing file silently: to it, a missing file looks like a quiet hour.
 *
 * <p>Chronicle calls {@link #onAcquired} when a writer or reader opens a cycle file: once per roll,
 * so the one-line append is off the per-request path.
 */
final class CycleJournal implements StoreFileListener {
  static final String FILE_NAME = "cycles.journal";

  private final Path file;
  private final boolean writable;
  private final NavigableSet<Integer> cycles = new ConcurrentSkipListSet<>();

  CycleJournal(Path queueDir, boolean writable) {
    this.file = queueDir.resolve(FILE_NAME);
    this.writable = writable;
    if (Files.exists(file)) {
      try {
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
          parse(line);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
  }

  private void parse(String line) {
    try {
      cycles.add(Integer.parseInt(line.trim()));
    } catch (NumberFormatException torn) {
      // a line torn by a crash mid-append: the cycle is re-added when its file is next opened
    }
  }

  @Override
  public void onAcquired(int cycle, java.io.File cycleFile) {
    if (!writable || !cycles.add(cycle)) {
      return;
    }
    try {
      Files.writeString(file, cycle + "\n", StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    } catch (IOException e) {
      cycles.remove(cycle); // try again next time; a missing entry only weakens missing-file detection
    }
  }

  @Override
  public void onReleased(int cycle, java.io.File cycleFile) {
    // nothing to do: the journal records creation only
  }

  /** Cycles strictly between {@code after} and {@code before} that once had a file. */
  NavigableSet<Integer> between(int after, int before) {
    if (before <= after + 1) {
      return new java.util.TreeSet<>();
    }
    return cycles.subSet(after, false, before, false);
  }
}
