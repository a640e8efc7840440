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

  /** The writer that keeps the last second's text: right within a second, across seconds and back. */
  @Test
  void theCachingWriterMatchesAcrossSecondBoundaries() {
    Timestamps.SqlTextWriter writer = new Timestamps.SqlTextWriter();
    SplittableRandom random = new SplittableRandom(7);
    long micros = 1_700_000_000_000_000L;
    byte[] out = new byte[Timestamps.SQL_TEXT_LENGTH];
    for (int i = 0; i < 100_000; i++) {
      micros += random.nextInt(3) == 0 ? -random.nextLong(2_000_000) : random.nextLong(700_000);
      writer.write(micros, out, 0);
      assertEquals(Timestamps.toSqlText(micros), new String(out, java.nio.charset.StandardCharsets.US_ASCII));
    }
    writer.write(-1, out, 0);
    assertEquals("1969-12-31 23:59:59.999999", new String(out, java.nio.charset.StandardCharsets.US_ASCII));
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
