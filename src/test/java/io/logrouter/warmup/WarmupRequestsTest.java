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
}
