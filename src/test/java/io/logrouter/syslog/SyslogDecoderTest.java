package io.logrouter.syslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logrouter.event.EventWriter;
import io.logrouter.event.LogEvent;
import io.logrouter.event.RecordBuffer;
import io.logrouter.event.RecordReader;
import io.logrouter.event.Timestamps;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What one syslog line becomes: level, source, message, time and attributes, as the flusher will read it. */
class SyslogDecoderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long NOW = Timestamps.parseIso("2026-12-02T10:00:00Z");

  static LogEvent decode(String line) throws Exception {
    return decodeAll(List.of(line)).get(0);
  }

  static List<LogEvent> decodeAll(List<String> lines) throws Exception {
    RecordBuffer doc = new RecordBuffer(1024);
    EventWriter writer = new EventWriter(1 << 20);
    writer.begin(doc);
    SyslogDecoder decoder = new SyslogDecoder();
    for (String line : lines) {
      byte[] b = line.getBytes(StandardCharsets.UTF_8);
      decoder.decode(b, 0, b.length, false, NOW, writer.count(), writer);
    }
    writer.finish();
    List<LogEvent> out = new ArrayList<>();
    new RecordReader().read(ByteBuffer.wrap(doc.array(), 0, doc.length()), 0, out);
    return out;
  }

  static JsonNode attributes(LogEvent e) throws Exception {
    return JSON.readTree(e.attributes());
  }

  @Test
  void rfc5424WithStructuredData() throws Exception {
    LogEvent e = decode("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 1234 ID47 "
        + "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"][meta q=\"a \\\"b\\\" \\] c\"] "
        + "\uFEFFAn application event log entry...");
    assertEquals("INFO", e.level(), "notice (5) is INFO");
    assertEquals("evntslog", e.source());
    assertEquals("An application event log entry...", e.message(), "BOM stripped");
    assertEquals(Timestamps.parseIso("2003-10-11T22:14:15.003Z"), e.tsMicros());
    JsonNode a = attributes(e);
    assertEquals("mymachine.example.com", a.get("hostname").asText());
    assertEquals("local4", a.get("facility").asText());
    assertEquals("notice", a.get("severity").asText());
    assertEquals("1234", a.get("procid").asText());
    assertEquals("ID47", a.get("msgid").asText());
    assertEquals("1011", a.at("/sd/exampleSDID@32473/eventID").asText());
    assertEquals("a \"b\" ] c", a.at("/sd/meta/q").asText());
    assertNull(a.get("parse_error"));
  }

  @Test
  void rfc5424NilValuesAndNoMessage() throws Exception {
    LogEvent e = decode("<11>1 - - - - - -");
    assertEquals("ERROR", e.level());
    assertNull(e.source());
    assertEquals("", e.message());
    assertEquals(NOW, e.tsMicros(), "no TIMESTAMP: the receive time");
    assertFalse(attributes(e).has("hostname"));
  }

  @Test
  void rfc3164AsRsyslogForwardsIt() throws Exception {
    LogEvent e = decode("<12>Dec  1 09:08:07 web-1 nginx[4711]: upstream timed out");
    assertEquals("WARN", e.level());
    assertEquals("nginx", e.source());
    assertEquals("upstream timed out", e.message());
    assertEquals(Timestamps.parseIso("2026-12-01T09:08:07Z"), e.tsMicros(), "no year: the nearest one, read as UTC");
    JsonNode a = attributes(e);
    assertEquals("web-1", a.get("hostname").asText());
    assertEquals("4711", a.get("procid").asText());
    assertEquals("user", a.get("facility").asText());
  }

  @Test
  void rfc3164WithIsoTimestampAndNoPid() throws Exception {
    LogEvent e = decode("<0>2026-11-30T23:59:59.5+01:00 db cron: disk gone");
    assertEquals("FATAL", e.level());
    assertEquals("cron", e.source());
    assertEquals("disk gone", e.message());
    assertEquals(Timestamps.parseIso("2026-11-30T22:59:59.5Z"), e.tsMicros());
  }

  @Test
  void rsyslogTraditionalForwardWithoutColon() throws Exception {
    LogEvent e = decode("<156>Dec  2 00:59:40 vm rs-udp line 255 from rs-udp");
    assertEquals("rs-udp", e.source());
    assertEquals("line 255 from rs-udp", e.message());
    assertEquals("vm", attributes(e).get("hostname").asText());
  }

  @Test
  void decemberLineReadInJanuaryIsLastYear() throws Exception {
    long jan1 = Timestamps.parseIso("2027-01-01T00:00:10Z");
    long ts = new SyslogDecoder.Clock3164().parse("Dec 31 23:59:59 ".getBytes(StandardCharsets.US_ASCII), 0, 16, jan1);
    assertEquals(Timestamps.parseIso("2026-12-31T23:59:59Z"), ts);
  }

  @Test
  void malformedLinesAreStoredRawWithTheReason() throws Exception {
    List<String> bad = List.of("no pri at all", "<999>1 x", "<13>1 notatime host app - - - m",
        "<13>1 2026-12-01T00:00:00Z host app - - [unclosed m", "<13>1 0001-01-01T00:00:00Z h a - - - old");
    List<LogEvent> events = decodeAll(bad);
    assertEquals(bad.size(), events.size(), "every line is kept");
    for (int i = 0; i < bad.size(); i++) {
      assertEquals(bad.get(i), events.get(i).message());
      assertTrue(attributes(events.get(i)).has("parse_error"), events.get(i).attributes());
      assertEquals(NOW, events.get(i).tsMicros());
    }
  }
}
