package io.logrouter.buffer;

import java.io.File;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/**
 * Deletes queue cycle files whose every event is committed to MySQL, so disk use stays flat under
 * steady load. Thread ownership: the flusher thread, after a commit.
 */
final class CycleFiles {
  private static final String SUFFIX = ".cq4";

  private final EventQueue queue;
  private final DateTimeFormatter fileNames;
  private final long cycleMillis;

  CycleFiles(EventQueue queue) {
    this.queue = queue;
    this.fileNames = DateTimeFormatter.ofPattern(queue.rollCycle().format()).withZone(ZoneOffset.UTC);
    this.cycleMillis = queue.rollCycle().lengthInMillis();
  }

  /**
   * Deletes every cycle file older than the cycle holding {@code committedIndex}. The file holding
   * the committed index itself stays: the appender may still be writing to it, and the tailer reads
   * on from it.
   *
   * @return how many files were deleted
   */
  int deleteCommittedBefore(long committedIndex) {
    int committedCycle = queue.rollCycle().toCycle(committedIndex);
    File[] files = queue.directory().listFiles((d, name) -> name.endsWith(SUFFIX));
    if (files == null) {
      return 0;
    }
    int deleted = 0;
    for (File file : files) {
      int cycle = cycleOf(file.getName());
      if (cycle >= 0 && cycle < committedCycle && file.delete()) {
        deleted++;
      }
    }
    if (deleted > 0) {
      queue.refreshDirectoryListing();
    }
    return deleted;
  }

  /** The file cycle {@code cycle} is stored in (whether or not it exists). */
  File fileOf(int cycle) {
    return new File(queue.directory(), fileNames.format(Instant.ofEpochMilli(cycle * cycleMillis)) + SUFFIX);
  }

  /** @return the cycle number a file name encodes, or -1 for a file that is not a cycle file */
  int cycleOf(String fileName) {
    String stem = fileName.substring(0, fileName.length() - SUFFIX.length());
    try {
      TemporalAccessor t = fileNames.parse(stem);
      long epochMillis = toEpochMillis(t);
      return (int) (epochMillis / cycleMillis);
    } catch (DateTimeParseException | ArithmeticException e) {
      return -1;
    }
  }

  private static long toEpochMillis(TemporalAccessor t) {
    int year = t.get(ChronoField.YEAR);
    int month = t.get(ChronoField.MONTH_OF_YEAR);
    int day = t.get(ChronoField.DAY_OF_MONTH);
    int hour = t.isSupported(ChronoField.HOUR_OF_DAY) ? t.get(ChronoField.HOUR_OF_DAY) : 0;
    int minute = t.isSupported(ChronoField.MINUTE_OF_HOUR) ? t.get(ChronoField.MINUTE_OF_HOUR) : 0;
    return Instant.parse(String.format("%04d-%02d-%02dT%02d:%02d:00Z", year, month, day, hour, minute)).toEpochMilli();
  }
}
