package io.logrouter.http;

import io.logrouter.testsupport.TestHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Requests with arbitrary headers for the access-control tests. */
final class Requests {
  private Requests() {}

  /** A JSON POST. @param headers name, value, name, value, ... */
  static TestHttp.Response post(String url, String body, String... headers) {
    return TestHttp.postJson(url, body, headers);
  }

  static TestHttp.Response get(String url, String... headers) {
    return TestHttp.get(url, headers);
  }

  /** Through {@code java.net.http}, for what {@link TestHttp} does not speak (HTTP/2 over TLS). */
  static HttpResponse<String> send(HttpClient client, HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
