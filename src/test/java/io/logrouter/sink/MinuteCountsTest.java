package io.logrouter.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The per-minute counts keep apart every (minute, level, source) key that differs in one byte, at any
 * position of keys up to five words long, and where level and source split the same bytes differently:
 * the look-up hashes and compares keys a word at a time, and a key merged by mistake would move counts
 * from one source to another in the explorer's histogram.
 */
class MinuteCountsTest {
  private static final long MINUTE = 60_000_000L;
  private static final long T0 = 1_728_295_200_000_000L; // 2024-10-07 10:00:00 UTC

  @Test
  void keysThatDifferInOneByteAnywhereAreCountedApart() throws Exception {
    List<String[]> keys = new ArrayList<>();
    for (int length = 0; length <= 40; length++) {
      String base = "s".repeat(length);
      keys.add(new String[] {"INFO", base});
      for (int at = 0; at < length; at++) {
        keys.add(new String[] {"INFO", base.substring(0, at) + "t" + base.substring(at + 1)});
      }
    }
    // The same bytes split differently between level and source.
    keys.add(new String[] {"AB", "C"});
    keys.add(new String[] {"A", "BC"});
    keys.add(new String[] {"ABCDEFGHI", "J"});
    keys.add(new String[] {"ABCDEFGH", "IJ"});

    MinuteCounts counts = new MinuteCounts();
    Map<String, Long> expected = new TreeMap<>();
    for (int round = 0; round < 3; round++) { // interleaved: every key is looked up again after all the others
      for (int k = 0; k < keys.size(); k++) {
        String level = keys.get(k)[0];
        String source = keys.get(k)[1];
        int events = 1 + (k + round) % 4;
        for (int e = 0; e < events; e++) {
          long ts = T0 + (k % 2) * MINUTE + e;
          add(counts, ts, level, source);
          expected.merge(source + "|" + k % 2 + "|" + level, 1L, Long::sum);
        }
      }
    }

    try (TestDatabase db = TestDatabase.create("minute_counts_keys"); Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      counts.write(c, "r", (short) 0);
      c.commit();
      Map<String, Long> stored = new TreeMap<>();
      for (String row : db.queryRows("SELECT source, MINUTE(minute), level, events"
          + " FROM log_source_minute_counts")) {
        int cut = row.lastIndexOf('|');
        stored.merge(row.substring(0, cut), Long.parseLong(row.substring(cut + 1)), Long::sum);
      }
      assertEquals(expected, stored);
      long total = expected.values().stream().mapToLong(Long::longValue).sum();
      assertEquals(total, counts.total());
      assertEquals(total, db.queryLong("SELECT SUM(events) FROM log_minute_counts"));
    }
  }

  /**
   * The key comparison itself, which the test above reaches only where two keys' probes meet: equal
   * only when every byte is, for a difference at any position of a range, at any offset in its array.
   */
  @Test
  void keyBytesAreTheSameOnlyWhenEveryByteIs() {
    for (int length = 0; length <= 40; length++) {
      for (int offset = 0; offset < 9; offset++) {
        byte[] a = new byte[offset + length + 3];
        byte[] b = new byte[length + 1];
        Arrays.fill(a, (byte) 's');
        Arrays.fill(b, (byte) 's');
        assertTrue(MinuteCounts.sameBytes(a, offset, b, 1, length), "length " + length);
        for (int at = 0; at < length; at++) {
          b[1 + at] = 't';
          assertFalse(MinuteCounts.sameBytes(a, offset, b, 1, length), "length " + length + ", differing at " + at);
          b[1 + at] = 's';
        }
      }
    }
  }

  /** As the LOAD DATA path adds: from UTF-8 ranges inside a larger record, not from whole arrays. */
  private static void add(MinuteCounts counts, long ts, String level, String source) {
    byte[] record = ("--" + level + "~" + source + "--").getBytes(StandardCharsets.UTF_8);
    int levelLength = level.getBytes(StandardCharsets.UTF_8).length;
    int sourceLength = source.getBytes(StandardCharsets.UTF_8).length;
    counts.add(ts, record, 2, levelLength, record, 3 + levelLength, sourceLength);
  }
}
