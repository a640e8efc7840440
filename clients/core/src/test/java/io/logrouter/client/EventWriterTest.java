package io.logrouter.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a captured event becomes: its NDJSON line, encoded later by the sender. */
class EventWriterTest {
  @Test
  void encodesMicrosecondsTypesAndKeepsAttributesFromShadowingCanonicalFields() {
    Event e = new EventBuilder().begin(1_700_000_000L, 123_456_789, "WARN", "svc", "hé \"quoted\"\n")
        .thread("main")
        .attribute("n", 42).attribute("ok", true).attribute("f", 1.5).attribute("level", "ERROR")
        .attribute("timestamp", "x").attribute("nul", null);
    assertEquals("{\"timestamp\":\"2023-11-14T22:13:20.123456Z\",\"level\":\"WARN\",\"source\":\"svc\","
        + "\"message\":\"hé \\\"quoted\\\"\\n\",\"thread\":\"main\",\"n\":42,\"ok\":true,\"f\":1.5,"
        + "\"_level\":\"ERROR\",\"_timestamp\":\"x\",\"nul\":null}\n", encode(e));
  }

  @Test
  void aMutableAttributeValueIsCapturedAtTheLoggingCallNotWhenEncoded() {
    List<String> items = new ArrayList<>(List.of("a"));
    StringBuilder note = new StringBuilder("before");
    Event e = new EventBuilder().begin(60, 1000, "INFO", "s", "m").attribute("items", items).attribute("note", note);
    items.add("b"); // the application goes on changing its objects before the sender encodes
    note.setLength(0);
    assertEquals("{\"timestamp\":\"1970-01-01T00:01:00.000001Z\",\"level\":\"INFO\",\"source\":\"s\",\"message\":\"m\","
        + "\"items\":\"[a]\",\"note\":\"before\"}\n", encode(e));
  }

  @Test
  void anEventThatFailsToEncodeLeavesNoTraceInTheBatch() {
    EventWriter w = new EventWriter();
    w.write(new EventBuilder().begin(0, 0, "INFO", "s", "first"));
    Event broken = new EventBuilder().begin(0, 0, "ERROR", "s", "broken").attribute("a", 1)
        .stackTrace(() -> { throw new IllegalStateException("cannot render"); }, 100);
    assertThrows(IllegalStateException.class, () -> w.write(broken));
    w.write(new EventBuilder().begin(60, 1000, "INFO", "s", "second"));
    assertEquals("{\"timestamp\":\"1970-01-01T00:00:00.000000Z\",\"level\":\"INFO\",\"source\":\"s\",\"message\":\"first\"}\n"
        + "{\"timestamp\":\"1970-01-01T00:01:00.000001Z\",\"level\":\"INFO\",\"source\":\"s\",\"message\":\"second\"}\n",
        new String(w.buffer(), 0, w.size(), StandardCharsets.UTF_8));
  }

  @Test
  void theSizeEstimateGrowsWithTheStringsOfTheEvent() {
    Event small = new EventBuilder().begin(0, 0, "INFO", "s", "m");
    Event big = new EventBuilder().begin(0, 0, "INFO", "s", "m".repeat(1000)).thread("t").attribute("k", "v".repeat(500));
    int smallLine = encode(small).length();
    assertEquals(true, small.estimatedBytes() >= smallLine, small.estimatedBytes() + " vs line " + smallLine);
    assertEquals(true, big.estimatedBytes() >= 1500 && big.estimatedBytes() < 2 * encode(big).length(), "" + big.estimatedBytes());
  }

  private static String encode(Event e) {
    EventWriter w = new EventWriter();
    w.write(e);
    return new String(w.buffer(), 0, w.size(), StandardCharsets.UTF_8);
  }
}
