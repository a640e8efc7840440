package io.logrouter.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP/1.1 client of the tests: one keep-alive pool shared by every test in the JVM, no retries,
 * no redirects, no compression, so each call is exactly one request on the wire and the answer is
 * what the server sent.
 *
 * <p>Not {@code java.net.http}: on JDK 17 its HTTP/1.1 pool can hand the response of a reused
 * connection to the watcher of idle connections (JDK-8338569, JDK-8357639; fixed in JDK 24/25), so
 * under load a request the server did answer fails with "header parser received no bytes".
 */
public final class TestHttp {
  /** Enough for the widest test: 64 concurrent senders, and a few routers at a time. */
  private static final int MAX_CONNECTIONS_PER_ROUTE = 64;
  private static final int MAX_CONNECTIONS = 256;
  /** A connection idle this long is checked before reuse: the router behind it may have restarted. */
  private static final TimeValue VALIDATE_AFTER_IDLE = TimeValue.ofMilliseconds(500);
  private static final Timeout CONNECT_TIMEOUT = Timeout.ofSeconds(5);
  /** Longer than any flush or drain a test waits for, short enough that a hang fails the test. */
  private static final Timeout READ_TIMEOUT = Timeout.ofSeconds(60);

  private static final CloseableHttpClient CLIENT = HttpClients.custom()
      .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
          .setMaxConnPerRoute(MAX_CONNECTIONS_PER_ROUTE)
          .setMaxConnTotal(MAX_CONNECTIONS)
          .setDefaultConnectionConfig(ConnectionConfig.custom()
              .setConnectTimeout(CONNECT_TIMEOUT)
              .setSocketTimeout(READ_TIMEOUT)
              .setValidateAfterInactivity(VALIDATE_AFTER_IDLE)
              .build())
          .build())
      .disableAutomaticRetries()
      .disableRedirectHandling()
      .disableCookieManagement()
      .disableContentCompression()
      .build();

  private TestHttp() {}

  /** What the server answered; header names are case-insensitive. */
  public record Response(int statusCode, String body, Map<String, String> headers) {
    public Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name));
    }
  }

  /**
   * POSTs {@code body} as it is (no encoding applied).
   *
   * @param contentType null for no Content-Type header
   * @param contentEncoding null for no Content-Encoding header
   * @param headers extra headers: name, value, name, value, ...
   */
  public static Response post(String url, byte[] body, String contentType, String contentEncoding,
      String... headers) {
    ClassicRequestBuilder b = ClassicRequestBuilder.post(url).setEntity(new ByteArrayEntity(body, null));
    if (contentType != null) {
      b.setHeader("Content-Type", contentType);
    }
    if (contentEncoding != null) {
      b.setHeader("Content-Encoding", contentEncoding);
    }
    return send(withHeaders(b, headers).build());
  }

  /** POSTs a UTF-8 JSON body. */
  public static Response postJson(String url, String json, String... headers) {
    return post(url, json.getBytes(StandardCharsets.UTF_8), "application/json", null, headers);
  }

  /** @param headers name, value, name, value, ... */
  public static Response get(String url, String... headers) {
    return send(withHeaders(ClassicRequestBuilder.get(url), headers).build());
  }

  private static ClassicRequestBuilder withHeaders(ClassicRequestBuilder b, String... headers) {
    if (headers.length % 2 != 0) {
      throw new IllegalArgumentException("headers come in name, value pairs");
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.addHeader(headers[i], headers[i + 1]);
    }
    return b;
  }

  private static Response send(ClassicHttpRequest request) {
    try {
      return CLIENT.execute(request, TestHttp::read);
    } catch (IOException e) {
      throw new UncheckedIOException(request.getMethod() + " " + request.getRequestUri() + ": " + e, e);
    }
  }

  private static Response read(ClassicHttpResponse response) throws IOException {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Header h : response.getHeaders()) {
      headers.putIfAbsent(h.getName().toLowerCase(Locale.ROOT), h.getValue());
    }
    try {
      String body = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
      return new Response(response.getCode(), body, headers);
    } catch (ParseException e) {
      throw new IOException("unreadable response body", e);
    }
  }
}
