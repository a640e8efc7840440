package io.logrouter.query;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A Server-Sent Events client on a real socket: events (and comment lines) land in a queue as they arrive. */
final class SseClient implements AutoCloseable {
  /** One event; a comment line (heartbeat) has name ":" and no data. */
  record Event(String name, String data) {}

  /** The end of the stream (the server closed it). */
  static final Event EOF = new Event("EOF", null);

  private final HttpClient client = HttpClient.newHttpClient();
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final HttpResponse<java.io.InputStream> response;
  private final Thread reader;

  SseClient(String url, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    response = client.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    reader = new Thread(this::read, "sse-client");
    reader.setDaemon(true);
    reader.start();
  }

  int status() {
    return response.statusCode();
  }

  String header(String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  /** The next event (comments skipped unless {@code comments}), or null after {@code timeout}. */
  Event next(Duration timeout, boolean comments) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Event e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (e == null || comments || !e.name().equals(":")) {
        return e;
      }
    }
  }

  Event next(Duration timeout) throws InterruptedException {
    return next(timeout, false);
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String name = "message";
      StringBuilder data = null;
      for (String line; (line = in.readLine()) != null; ) {
        if (line.isEmpty()) {
          if (data != null) {
            events.add(new Event(name, data.toString()));
          }
          name = "message";
          data = null;
        } else if (line.startsWith(":")) {
          events.add(new Event(":", null));
        } else if (line.startsWith("event:")) {
          name = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data = (data == null ? new StringBuilder() : data.append('\n')).append(line.substring(5).stripLeading());
        }
      }
    } catch (Exception e) {
      // closed by us or reset: the end either way
    }
    events.add(EOF);
  }

  @Override
  public void close() throws Exception {
    response.body().close();
    reader.join(5_000);
  }
}
