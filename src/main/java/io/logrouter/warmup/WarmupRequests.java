package io.logrouter.warmup;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The requests the warm-up sends itself: the shapes the ingest routes take most, so the JIT compiles (and
 * profiles) the paths real traffic runs: single structured events with top-level fields and nested attributes,
 * the replaced systems' flat shape with an epoch timestamp, JSON arrays and NDJSON, on the router's own route
 * and the replaced systems' ones; and now and then a GET of /health or /metrics. Built once; the load cycles
 * through them.
 */
final class WarmupRequests {
  private static final String[] LEVELS = {"INFO", "INFO", "INFO", "WARN", "ERROR", "debug"};
  private static final String[] ROUTES = {"/log", "/log", "/log", "/log-event", "/event", "/logs/batch"};
  /**
   * Both forms clients send: with a port (curl, browsers, HTTP libraries on a port other than 80) and without
   * (a proxy in front). With only the second in the mix, the first real request's "host:port" took a branch of
   * Undertow's HostHeaderHandler its compiled code had never seen, and HotSpot discarded it (seen in the JIT log).
   */
  private static final String[] HOSTS = {"127.0.0.1:8080", "127.0.0.1"};
  /** Enough variety that no call site sees one value only (one level, one length) and is compiled for it. */
  static final int DISTINCT = 96;
  /**
   * The one bulk NDJSON request of the mix, and its lines: some 80 KB, many reads of Undertow's 4 KB buffers and
   * more than an I/O thread's 64 KB record buffer holds at first; every tenth line carries a stack trace. With only
   * bodies of one read in the warm-up, the first real bulk body took branches the compiled body reader, record
   * buffer and JSON scanner had never seen, and HotSpot threw that code away in the middle of the load (JIT log,
   * BENCHMARKS.md issue 13 session 24). One request in 96.
   */
  static final int BULK_AT = 46;
  static final int BULK_LINES = 100;
  private static final int STACK_FRAMES = 80;
  /** Short values: a body's last string then ends within 8 bytes of the body's end, as real ones often do. */
  private static final String[] ENVS = {"prod", "dev", "qa"};

  private WarmupRequests() {}

  /** {@link #DISTINCT} complete HTTP/1.1 requests (keep-alive), each its own bytes. */
  static List<byte[]> build(Instant now) {
    List<byte[]> requests = new ArrayList<>(DISTINCT);
    for (int i = 0; i < DISTINCT; i++) {
      String route = ROUTES[i % ROUTES.length];
      if (i % 16 == 15) {
        // A GET among the POSTs, as health checks and scrapes come in between real traffic: a first GET /health
        // after the warm-up otherwise took branches the compiled request path had never seen, and HotSpot
        // discarded that code (seen with -XX:+PrintCompilation).
        requests.add(get(i == DISTINCT - 1 ? "/metrics" : "/health", HOSTS[i / 16 % HOSTS.length]));
        continue;
      }
      String host = HOSTS[i / 8 % HOSTS.length]; // not i % 2: that would tie each host to half the shapes
      switch (i % 8) {
        case 5 -> requests.add(request(route, host, "application/json", "[" + structured(i, now) + ","
            + structured(i + 1, now) + "," + flat(i + 2, now) + "]"));
        case 6 -> requests.add(request(route, host, "application/x-ndjson", i == BULK_AT ? bulk(i, now)
            : structured(i, now) + "\n" + flat(i + 1, now) + "\n" + nested(i + 2, now) + "\n"));
        case 3 -> requests.add(request(route, host, "application/json", flat(i, now)));
        case 7 -> requests.add(request(route, host, "application/json", nested(i, now)));
        default -> requests.add(request(route, host, "application/json", structured(i, now)));
      }
    }
    return requests;
  }

  /**
   * Sources of one length that differ in their last bytes only, as a fleet's do ("checkout-07"): with one source,
   * the flush's per-minute counts never compared two keys that differ there, and the first real flush threw that
   * code away.
   */
  private static String source(int i) {
    return "warmup-app-" + (10 + i % 24);
  }

  /** The router's own shape: ISO timestamp, level, source, message and a few top-level attributes. */
  private static String structured(int i, Instant now) {
    return "{\"timestamp\":\"" + iso(i, now) + "\",\"level\":\"" + LEVELS[i % LEVELS.length]
        + "\",\"source\":\"" + source(i) + "\",\"message\":\"GET /warm-up/" + i + " served in "
        + (i * 7 % 300) + " ms\",\"request_id\":\"w-" + Integer.toHexString(i * 2_654_435) + "\",\"user_id\":"
        + (1 + i % 100) + ",\"http_status\":" + (i % 9 == 0 ? 500 : 200) + ",\"cached\":" + (i % 2 == 0)
        + numbers(i) + ",\"env\":\"" + ENVS[i % ENVS.length] + "\"}";
  }

  /**
   * {@link #BULK_LINES} lines of the three shapes and stack traces, ending with a structured one (its last value a
   * short string).
   */
  private static String bulk(int i, Instant now) {
    StringBuilder body = new StringBuilder();
    for (int k = 1; k <= BULK_LINES; k++) {
      int n = i * BULK_LINES + k;
      int shape = (BULK_LINES - k) % 3;
      String line = k % 10 == 5 ? stackTrace(n, now)
          : shape == 0 ? structured(n, now) : shape == 1 ? flat(n, now) : nested(n, now);
      body.append(line).append('\n');
    }
    return body.toString();
  }

  /** An ERROR whose message is a Java stack trace: long, with escaped newlines and tabs. */
  private static String stackTrace(int i, Instant now) {
    StringBuilder message = new StringBuilder("java.lang.IllegalStateException: order " + i + " not found");
    for (int f = 0; f < STACK_FRAMES; f++) {
      message.append("\\n\\tat com.example.shop.OrderService.step").append(f).append("(OrderService.java:")
          .append(100 + f).append(')');
    }
    return "{\"timestamp\":\"" + iso(i, now) + "\",\"level\":\"ERROR\",\"source\":\"" + source(i)
        + "\",\"message\":\"" + message + "\",\"thread\":\"http-" + (i % 8) + "\"}";
  }

  /**
   * The forms clients send most: milliseconds (Java's Instant, JavaScript's toISOString), whole seconds,
   * microseconds, an offset. With only one of them the parser's code was compiled for it, and the first request
   * in another form threw that code away (seen with -XX:+PrintCompilation).
   */
  private static String iso(int i, Instant now) {
    Instant t = now.plusMillis(i);
    return switch (i % 4) {
      case 0 -> t.truncatedTo(ChronoUnit.SECONDS).toString();
      case 1 -> t.truncatedTo(ChronoUnit.MICROS).plusNanos(1_000).toString();
      case 2 -> t.atOffset(ZoneOffset.ofHours(1)).truncatedTo(ChronoUnit.MILLIS).toString();
      default -> t.truncatedTo(ChronoUnit.MILLIS).plusMillis(1).toString();
    };
  }

  /**
   * Numbers in every form the parser branches on: zero, negative, a fraction below 1. With none of them in the
   * mix, a real request's first 0 threw the parser's compiled number code away (seen in the JIT log).
   */
  private static String numbers(int i) {
    return ",\"retries\":" + (i % 3) + ",\"score\":" + ((i % 5) - 2) * 0.5;
  }

  /** The replaced systems' shape: no message, an epoch-seconds timestamp, flat fields. */
  private static String flat(int i, Instant now) {
    return "{\"id\":" + i + ",\"unix_ts\":" + now.getEpochSecond() + ",\"user_id\":" + (1 + i % 100)
        + ",\"event_name\":\"warm_up_" + (i % 5) + "\"" + numbers(i) + "}";
  }

  /** An epoch-millis timestamp, attributes nested in objects and arrays, escapes and non-ASCII text. */
  private static String nested(int i, Instant now) {
    return "{\"timestamp\":" + now.toEpochMilli() + ",\"severity\":\"" + LEVELS[(i + 1) % LEVELS.length]
        + "\",\"message\":\"caf\\u00e9 \\\"warm\\\" up \u00fcber " + i + "\",\"attributes\":{\"http\":{\"method\":\"POST\","
        + "\"status\":" + (200 + i % 5) + ",\"duration_ms\":" + (i * 0.25) + "},\"tags\":[\"a\",\"b" + i
        + "\"],\"retry\":null}}";
  }

  private static byte[] get(String route, String host) {
    return ("GET " + route + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: log-router-warmup\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] request(String route, String host, String contentType, String body) {
    byte[] content = body.getBytes(StandardCharsets.UTF_8);
    byte[] head = ("POST " + route + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: log-router-warmup\r\n"
        + "Content-Type: " + contentType + "\r\nContent-Length: " + content.length + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[head.length + content.length];
    System.arraycopy(head, 0, request, 0, head.length);
    System.arraycopy(content, 0, request, head.length, content.length);
    return request;
  }
}
