package io.logrouter.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The byte-wise DATETIME(6) text (two per flushed row) equals java.time's over the whole stored range. */
class SqlTextTest {
  private static final DateTimeFormatter SQL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

  @Test
  void matchesJavaTimeFromYear1000To9999() {
    SplittableRandom random = new SplittableRandom(13);
    long[] edges = {Timestamps.MIN_MICROS, Timestamps.MAX_MICROS, 0, -1, 1, 951_782_400_000_000L - 1,
        951_782_400_000_000L, 4_107_542_400_000_000L /* 2100-03-01, not a leap year */, -62_135_596_800_000_000L / 2};
    for (long micros : edges) {
      check(micros);
    }
    for (int i = 0; i < 200_000; i++) {
      check(random.nextLong(Timestamps.MIN_MICROS, Timestamps.MAX_MICROS + 1));
    }
  }

  private static void check(long micros) {
    String expected = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
        (int) Math.floorMod(micros, 1_000_000L) * 1_000, ZoneOffset.UTC).format(SQL);
    assertEquals(expected, Timestamps.toSqlText(micros), "micros " + micros);
    byte[] out = new byte[40];
    assertEquals(3 + Timestamps.SQL_TEXT_LENGTH, Timestamps.writeSqlText(micros, out, 3));
    assertEquals(expected, new String(out, 3, Timestamps.SQL_TEXT_LENGTH, java.nio.charset.StandardCharsets.US_ASCII));
  }
}
