package io.logrouter.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logrouter.testsupport.TestHttp;
import io.undertow.Undertow;
import io.undertow.server.RoutingHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import javax.sql.DataSource;

/** An Undertow server on a free port with only the query routes, and a client for it. */
final class QueryServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private final Undertow server;
  private final String base;

  QueryServer(DataSource dataSource) {
    RoutingHandler routes = new RoutingHandler();
    QueryRoutes.addTo(routes, dataSource);
    server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(routes).build();
    server.start();
    InetSocketAddress address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
    base = "http://127.0.0.1:" + address.getPort();
  }

  /** GET with the query string built from name/value pairs, each value URL-encoded. */
  TestHttp.Response get(String path, String... nameValues) {
    StringBuilder uri = new StringBuilder(base).append(path);
    for (int i = 0; i < nameValues.length; i += 2) {
      uri.append(i == 0 ? '?' : '&').append(nameValues[i]).append('=')
          .append(URLEncoder.encode(nameValues[i + 1], StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return TestHttp.get(uri.toString());
  }

  JsonNode getJson(int expectedStatus, String path, String... nameValues) throws IOException, InterruptedException {
    TestHttp.Response response = get(path, nameValues);
    if (response.statusCode() != expectedStatus) {
      throw new AssertionError("expected " + expectedStatus + " but got " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  @Override
  public void close() {
    server.stop();
  }

  /** Inserts one row as the flusher would; returns its id. */
  static long insert(DataSource ds, LocalDateTime ts, String level, String source, String message, String attributes)
      throws SQLException {
    String sql = "INSERT INTO logs (ts, level, source, message, attributes, received_at, router_id) VALUES (?, ?, ?, ?, ?, ?, 'test')";
    try (Connection c = ds.getConnection(); PreparedStatement st = c.prepareStatement(sql, new String[] {"id"})) {
      st.setString(1, Timestamps.sqlValue(ts));
      st.setString(2, level);
      st.setString(3, source);
      st.setString(4, message);
      st.setString(5, attributes);
      st.setString(6, Timestamps.sqlValue(ts));
      st.executeUpdate();
      try (var keys = st.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }
}
