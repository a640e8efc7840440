package io.logrouter.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.event.LevelNames;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One set of rules for every receiver and the query API: a timestamp a receiver stores can be
 * queried with the same text, and a level a query names is the level ingest stored.
 */
class SharedRulesTest {
  /** The union of the forms ingest and the query API accepted before they shared one parser. */
  private static final List<String> FORMS = List.of(
      "2018-1-1", "2018-01-01", "2018-1-31", "2018-12-1",
      "2024-10-08T20:00:00Z", "2024-10-08t20:00:00z", "2024-10-08 20:00:00", "2024-10-08T20:00",
      "2024-10-08T20:00:00.5+02:00", "2024-10-08T20:00:00.123456789-05:30",
      "2024-10-08 20:00:00+0530", "2024-10-08T20:00+0530", "2024-10-08T20:00:00-03", "2024-1-8T20:00:00+0530");

  private static final List<String> NOT_TIMES = List.of(
      "2018-13-1", "2018-0-1", "2018-2-30", "2018-001-01", "18-1-1", "2018-1-1T", "2018-1-1T1:00",
      "2018-1-1T10", "2018-1-1X10:00", "2024-10-08T20:00:00.Z", "2024-10-08T20:00:00.1234567890Z",
      "2024-10-08T20:00:00+19:00", "2024-10-08T20:00:00+18:30", "2024-10-08T20:00:00Zjunk", "2024-10-08T24:00", "");

  @Test
  void ingestAndQueryAcceptTheSameForms() {
    for (String text : FORMS) {
      long ingest = io.logrouter.event.Timestamps.parseIso(text);
      assertTrue(ingest != Long.MIN_VALUE, "ingest refuses " + text);
      Timestamps.Parsed query = Timestamps.parse(text);
      assertEquals(ingest, query.utc().toEpochSecond(ZoneOffset.UTC) * 1_000_000L + query.utc().getNano() / 1_000, text);
    }
    assertEquals(OffsetDateTime.parse("2024-10-08T20:00:00+05:30").toEpochSecond() * 1_000_000L,
        io.logrouter.event.Timestamps.parseIso("2024-10-08 20:00:00+0530"));
    assertTrue(Timestamps.parse("2018-1-1").dateOnly());
    assertFalse(Timestamps.parse("2018-1-1 00:00").dateOnly());
  }

  @Test
  void ingestAndQueryRefuseTheSameTexts() {
    for (String text : NOT_TIMES) {
      assertEquals(Long.MIN_VALUE, io.logrouter.event.Timestamps.parseIso(text), "ingest takes " + text);
      DateTimeException e = assertThrows(DateTimeException.class, () -> Timestamps.parse(text), text);
      assertTrue(e.getMessage().contains("at character"), e.getMessage());
    }
    assertEquals("expected a month at character 5 of '2018-13-1' (a date like 2018-1-1 or an RFC 3339 time like "
        + "2024-10-08T20:00:00Z)", assertThrows(DateTimeException.class, () -> Timestamps.parse("2018-13-1")).getMessage());
  }

  @Test
  void queryLevelsAreTheLevelsIngestStores() {
    for (String sent : List.of("warning", " Warn ", "error", "Notice", "ÉCHEC", "x".repeat(16))) {
      assertEquals(LevelNames.normalize(sent), LevelNames.normalizeForQuery(sent), sent);
    }
    assertNull(LevelNames.normalizeForQuery(" "));
    assertNull(LevelNames.normalizeForQuery("x".repeat(17)), "longer than the column can never match");
    assertEquals("😀".repeat(16), LevelNames.normalizeForQuery("😀".repeat(16)), "16 characters, as MySQL counts them");
    assertEquals(3, LevelNames.rank(LevelNames.normalize("warning")));
  }
}
