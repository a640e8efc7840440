package io.logrouter.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The warm-up's requests are complete HTTP/1.1 requests whose bodies are valid JSON or NDJSON. */
class WarmupRequestsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyRequestIsCompleteAndEveryBodyLineIsJson() throws Exception {
    List<byte[]> requests = WarmupRequests.build(Instant.parse("2026-12-05T01:00:00Z"));
    assertEquals(WarmupRequests.DISTINCT, requests.size());
    int ndjsonLines = 0;
    for (byte[] request : requests) {
      String text = new String(request, StandardCharsets.UTF_8);
      int headEnd = text.indexOf("\r\n\r\n");
      assertTrue(headEnd > 0, text);
      String head = text.substring(0, headEnd);
      byte[] body = java.util.Arrays.copyOfRange(request, headEnd + 4, request.length);
      if (head.startsWith("GET ")) {
        assertEquals(0, body.length);
        continue;
      }
      assertTrue(head.contains("\r\nContent-Length: " + body.length), head);
      String content = new String(body, StandardCharsets.UTF_8);
      if (head.contains("application/x-ndjson")) {
        for (String line : content.split("\n")) {
          JSON.readTree(line);
          ndjsonLines++;
        }
      } else {
        JSON.readTree(content);
      }
    }
    assertTrue(ndjsonLines > 0, "NDJSON is in the mix");
  }

  /**
   * What real clients send and the warm-up once did not, each of which threw compiled request-path code away at
   * the first real request (JIT log, BENCHMARKS.md issue 13 session 23): a Host header with a port, and numbers
   * that are 0, negative or a fraction below 1; beside the forms it had (a Host without a port, other numbers).
   */
  @Test
  void theMixHoldsBothHostFormsAndEveryNumberFormTheParserBranchesOn() throws Exception {
    List<byte[]> requests = WarmupRequests.build(Instant.parse("2026-12-05T01:00:00Z"));
    java.util.Set<String> hosts = new java.util.HashSet<>();
    java.util.Set<String> numberForms = new java.util.HashSet<>();
    for (byte[] request : requests) {
      String text = new String(request, StandardCharsets.UTF_8);
      java.util.regex.Matcher host = java.util.regex.Pattern.compile("\r\nHost: ([^\r]*)\r\n").matcher(text);
      assertTrue(host.find(), text);
      hosts.add(host.group(1).contains(":") ? "with a port" : "without");
      String body = text.substring(text.indexOf("\r\n\r\n") + 4);
      for (String line : body.isEmpty() ? new String[0] : body.split("\n")) {
        JSON.readTree(line).findValues("retries").forEach(v -> numberForms.add(form(v.asText())));
        JSON.readTree(line).findValues("score").forEach(v -> numberForms.add(form(v.asText())));
      }
    }
    assertEquals(java.util.Set.of("with a port", "without"), hosts);
    assertEquals(java.util.Set.of("zero", "negative", "fraction below 1", "other"), numberForms);
  }

  /**
   * What real bulk clients send and the warm-up once did not (JIT log, BENCHMARKS.md issue 13 session 24): a body
   * of many lines, larger than one 4 KB read, whose last string value ends within 8 bytes of the body's end; and
   * sources of one length that differ, so the flush's per-minute counts compare different keys.
   */
  @Test
  void theMixHoldsABulkBodyOfSeveralReadsAndSourcesThatDiffer() throws Exception {
    List<byte[]> requests = WarmupRequests.build(Instant.parse("2026-12-05T01:00:00Z"));
    String bulk = new String(requests.get(WarmupRequests.BULK_AT), StandardCharsets.UTF_8);
    assertTrue(bulk.contains("Content-Type: application/x-ndjson"), bulk.substring(0, 200));
    String body = bulk.substring(bulk.indexOf("\r\n\r\n") + 4);
    assertTrue(body.length() > 64 * 1024, "more than an I/O thread's first 64 KB record buffer: " + body.length());
    assertTrue(bulk.length() > LoopbackLoad.SPLIT_ABOVE_BYTES, "sent in two writes");
    assertTrue(body.contains("\\n\\tat com.example"), "a stack trace");
    String[] lines = body.split("\n");
    assertEquals(WarmupRequests.BULK_LINES, lines.length);
    String last = lines[lines.length - 1];
    assertTrue(last.matches(".*:\"[a-z]{1,4}\"}"), "the last value is a short string: " + last);
    java.util.Set<String> sources = new java.util.HashSet<>();
    for (byte[] request : requests) {
      java.util.regex.Matcher source = java.util.regex.Pattern.compile("\"source\":\"([^\"]*)\"")
          .matcher(new String(request, StandardCharsets.UTF_8));
      while (source.find()) {
        sources.add(source.group(1));
      }
    }
    assertTrue(sources.size() >= 8, "sources: " + sources);
    assertEquals(1, sources.stream().mapToInt(String::length).distinct().count(), "of one length: " + sources);
  }

  private static String form(String number) {
    double d = Double.parseDouble(number);
    if (number.startsWith("-")) {
      return "negative";
    }
    return d == 0 ? "zero" : d < 1 ? "fraction below 1" : "other";
  }
}
