package io.logrouter.client;

import java.util.ArrayList;
import java.util.List;

/** Test helpers: a client with test-friendly timings, events with a sequence number. */
final class Clients {
  private Clients() {
  }

  static ClientConfig.Builder fast(String... urls) {
    return ClientConfig.builder()
        .set(ClientOption.URLS, String.join(",", urls))
        .set(ClientOption.LINGER_MS, 20)
        .set(ClientOption.RETRY_INITIAL_MS, 20)
        .set(ClientOption.RETRY_MAX_MS, 200)
        .set(ClientOption.CONNECT_TIMEOUT_MS, 500)
        .set(ClientOption.REQUEST_TIMEOUT_MS, 2000)
        .set(ClientOption.SHUTDOWN_HOOK, "false")
        .set(ClientOption.NAME, "test");
  }

  /** Logs one event carrying {@code seq}; returns whether the buffer took it. */
  static boolean log(LogRouterClient c, long seq) {
    EventBuilder b = c.event().begin(1_700_000_000L, 123_456_789, "INFO", "test", "event " + seq);
    b.attribute("seq", seq);
    return c.append(b);
  }

  /** The {@code seq} attribute of each NDJSON line. */
  static List<Long> seqs(List<String> lines) {
    List<Long> out = new ArrayList<>();
    for (String l : lines) {
      int i = l.indexOf("\"seq\":");
      int j = i + 6;
      int k = j;
      while (k < l.length() && Character.isDigit(l.charAt(k))) {
        k++;
      }
      out.add(Long.parseLong(l.substring(j, k)));
    }
    return out;
  }

  static void awaitTrue(java.util.function.BooleanSupplier condition, long timeoutMs, String what) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
