package io.logrouter.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The NDJSON line an event becomes. */
class EventWriterTest {
  @Test
  void encodesMicrosecondsTypesAndKeepsAttributesFromShadowingCanonicalFields() {
    EventWriter w = new EventWriter();
    w.begin(1_700_000_000L, 123_456_789, "WARN", "svc", "hé \"quoted\"\n")
        .field("thread", "main")
        .attribute("n", 42).attribute("ok", true).attribute("f", 1.5).attribute("level", "ERROR")
        .attribute("timestamp", "x").attribute("nul", null);
    int len = w.end();
    String line = new String(w.copy(), 0, len, StandardCharsets.UTF_8);
    assertEquals("{\"timestamp\":\"2023-11-14T22:13:20.123456Z\",\"level\":\"WARN\",\"source\":\"svc\","
        + "\"message\":\"hé \\\"quoted\\\"\\n\",\"thread\":\"main\",\"n\":42,\"ok\":true,\"f\":1.5,"
        + "\"_level\":\"ERROR\",\"_timestamp\":\"x\",\"nul\":null}\n", line);
  }

  @Test
  void aWriterIsReusableAndAnAbandonedEventLeavesNoTrace() {
    EventWriter w = new EventWriter();
    w.begin(0, 0, "INFO", "s", "first").attribute("a", 1);
    w.abandon();
    w.begin(60, 1000, "INFO", "s", "second");
    int len = w.end();
    assertEquals("{\"timestamp\":\"1970-01-01T00:01:00.000001Z\",\"level\":\"INFO\",\"source\":\"s\",\"message\":\"second\"}\n",
        new String(w.copy(), 0, len, StandardCharsets.UTF_8));
  }
}
