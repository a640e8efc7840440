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
import java.util.List;
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

  /** Inserts one row as the flusher would, with its per-minute counts; returns its id. */
  static long insert(DataSource ds, LocalDateTime ts, String level, String source, String message, String attributes)
      throws SQLException {
    String sql = "INSERT INTO logs (ts, level, source, message, attributes, received_at, router_id) VALUES (?, ?, ?, ?, ?, ?, 'test')";
    try (Connection c = ds.getConnection(); PreparedStatement st = c.prepareStatement(sql, new String[] {"id"})) {
      c.setAutoCommit(false);
      st.setString(1, Timestamps.sqlValue(ts));
      st.setString(2, level);
      st.setString(3, source);
      st.setString(4, message);
      st.setString(5, attributes);
      st.setString(6, Timestamps.sqlValue(ts));
      st.executeUpdate();
      count(c, ts, level, source);
      c.commit();
      try (var keys = st.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  /** Deletes a row {@link #insert} stored, and takes it off the counts. */
  static void delete(DataSource ds, long id) throws SQLException {
    String counted = " SET events = events - 1 WHERE router_id = 'test' AND minute = (SELECT DATE_FORMAT(ts, '%Y-%m-%d %H:%i')"
        + " FROM logs WHERE id = ?) AND level = (SELECT level FROM logs WHERE id = ?)";
    try (Connection c = ds.getConnection();
        PreparedStatement perMinute = c.prepareStatement("UPDATE log_minute_counts" + counted);
        PreparedStatement perSource = c.prepareStatement("UPDATE log_source_minute_counts" + counted
            + " AND source = (SELECT COALESCE(source, '') FROM logs WHERE id = ?)");
        PreparedStatement delete = c.prepareStatement("DELETE FROM logs WHERE id = ?")) {
      c.setAutoCommit(false);
      for (PreparedStatement st : List.of(perMinute, perSource, delete)) {
        for (int i = 1; i <= st.getParameterMetaData().getParameterCount(); i++) {
          st.setLong(i, id);
        }
        if (st.executeUpdate() != 1) {
          throw new IllegalStateException("row " + id + " or its count not found");
        }
      }
      c.commit();
    }
  }

  /** Adds the row to its minute in both counts tables (V4), as the flusher does. */
  private static void count(Connection c, LocalDateTime ts, String level, String source) throws SQLException {
    String minute = Timestamps.sqlValue(ts.truncatedTo(java.time.temporal.ChronoUnit.MINUTES));
    try (PreparedStatement perMinute = c.prepareStatement("INSERT INTO log_minute_counts (minute, level, router_id, lane,"
            + " events) VALUES (?, ?, 'test', 0, 1) ON DUPLICATE KEY UPDATE events = events + 1");
        PreparedStatement perSource = c.prepareStatement("INSERT INTO log_source_minute_counts (source, minute, level,"
            + " router_id, lane, events) VALUES (?, ?, ?, 'test', 0, 1) ON DUPLICATE KEY UPDATE events = events + 1")) {
      perMinute.setString(1, minute);
      perMinute.setString(2, level);
      perMinute.executeUpdate();
      perSource.setString(1, source == null ? "" : source);
      perSource.setString(2, minute);
      perSource.setString(3, level);
      perSource.executeUpdate();
    }
  }
}
