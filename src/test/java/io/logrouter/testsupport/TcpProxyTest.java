package io.logrouter.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy on real sockets, between Connector/J and the test database server. */
final class TcpProxyTest {
  /** Generous bound for every blocking step: only a broken proxy gets near it. */
  private static final Duration GENEROUS = Duration.ofSeconds(30);
  /** 5 s timeouts so a proxy bug fails the test instead of hanging it. */
  private static final String OPTIONS = "&connectTimeout=5000&socketTimeout=5000";

  private static TestDatabase db;
  private TcpProxy proxy;
  private String table;

  @BeforeAll
  static void createSchema() {
    db = TestDatabase.create("tcpproxy");
  }

  @AfterAll
  static void dropPool() {
    db.close();
  }

  @BeforeEach
  void start() {
    proxy = db.startProxy();
    table = "tcpproxy_" + Long.toUnsignedString(System.nanoTime(), 36);
  }

  @AfterEach
  void stop() throws SQLException {
    proxy.close();
    try (Connection c = direct(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + table);
    }
  }

  @Test
  void forwardsJdbcAndCountsTraffic() throws SQLException {
    try (Connection c = viaProxy("")) {
      assertEquals(1, selectOne(c));
    }
    assertEquals(1, proxy.connectionsAccepted());
    assertTrue(proxy.bytesClientToServer() > 0, "client bytes counted");
    assertTrue(proxy.bytesServerToClient() > 0, "server bytes counted");
  }

  @Test
  void cutFailsOpenConnectionsAndNewOnesUntilRestore() throws SQLException {
    try (Connection c = viaProxy("")) {
      assertEquals(1, selectOne(c));
      proxy.cut();
      assertTimeoutPreemptively(GENEROUS, () -> assertThrows(SQLException.class, () -> selectOne(c)));
    }
    assertTimeoutPreemptively(GENEROUS, () -> assertThrows(SQLException.class, () -> viaProxy("").close()));
    assertTrue(proxy.connectionsRefused() >= 1, "new connection refused while cut");
    assertTrue(proxy.connectionsKilled() >= 1, "open connection killed by the cut");
    proxy.restore();
    try (Connection c = viaProxy("")) {
      assertEquals(1, selectOne(c));
    }
  }

  @Test
  void latencyDelaysEveryRoundTrip() throws SQLException {
    try (Connection c = viaProxy("")) {
      Duration latency = Duration.ofMillis(300);
      proxy.setLatency(latency);
      long start = System.nanoTime();
      assertEquals(1, selectOne(c));
      long elapsed = System.nanoTime() - start;
      // a lower bound only: the query and its answer each wait once, so this cannot be flaky
      assertTrue(elapsed >= latency.toNanos(), "round trip took " + elapsed / 1_000_000 + " ms");
    }
  }

  @Test
  void blackholeMakesQueriesTimeOutAndRestoreHeals() throws SQLException {
    try (Connection c = viaProxy("&socketTimeout=2000")) { // the later option wins in Connector/J
      assertEquals(1, selectOne(c));
      proxy.blackhole();
      SQLException e = assertTimeoutPreemptively(GENEROUS, () -> assertThrows(SQLException.class, () -> selectOne(c)));
      assertTrue(hasCause(e, SocketTimeoutException.class), "timed out, not reset: " + e);
      // the handshake of a new connection is dropped too, so connecting must fail as well
      assertTimeoutPreemptively(GENEROUS, () -> assertThrows(SQLException.class, () -> viaProxy("&socketTimeout=2000").close()));
    }
    proxy.restore();
    try (Connection c = viaProxy("")) {
      assertEquals(1, selectOne(c));
    }
  }

  @Test
  void killBeforeCommitPacketRollsBack() throws SQLException {
    createTable();
    try (Connection c = viaProxy("")) {
      c.setAutoCommit(false);
      insert(c, 1);
      proxy.dropOnMysqlCommit(TcpProxy.KillPoint.BEFORE_FORWARD);
      assertThrows(SQLException.class, c::commit);
    }
    assertEquals(1, proxy.killsFired());
    assertFalse(proxy.killArmed(), "one-shot kill disarmed after firing");
    assertEquals(0, countRows(), "the server never got the commit");
  }

  @Test
  void killAfterCommitPacketCommitsButTheClientNeverKnows() throws Exception {
    createTable();
    try (Connection c = viaProxy("")) {
      c.setAutoCommit(false);
      insert(c, 1);
      proxy.dropOnMysqlCommit(TcpProxy.KillPoint.AFTER_FORWARD);
      assertThrows(SQLException.class, c::commit);
    }
    assertEquals(1, proxy.killsFired());
    // the server executes the commit it received asynchronously to the client's error: wait for it
    assertTimeoutPreemptively(GENEROUS, () -> {
      while (countRows() != 1) {
        Thread.sleep(50); // poll interval: short against the generous bound, light on 2 cores
      }
    });
  }

  @Test
  void dropAfterClientBytesForwardsExactlyThatManyBytes() throws SQLException {
    try (Connection c = viaProxy("")) {
      assertEquals(1, selectOne(c));
      long before = proxy.bytesClientToServer();
      proxy.dropAfterClientBytes(10); // fewer than one query packet: the kill lands mid-packet
      assertThrows(SQLException.class, () -> selectOne(c));
      assertEquals(before + 10, proxy.bytesClientToServer());
    }
    assertEquals(1, proxy.killsFired());
    proxy.restore();
    try (Connection c = viaProxy("")) {
      assertEquals(1, selectOne(c));
    }
  }

  /**
   * A server that answers at once, as a warm router does, must not get its answer through an
   * AFTER_FORWARD kill: the link drops it even when it comes back before the proxy's pump runs again
   * (CI: IdempotencyTest received a 202 that was to be lost). Before the fix, 37 of these 200 came through.
   */
  @Test
  void afterForwardKillLosesEvenAnImmediateAnswer() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        TcpProxy quick = TcpProxy.start("127.0.0.1", server.getLocalPort())) {
      Thread answering = new Thread(() -> answerEachLine(server), "answers-at-once");
      answering.setDaemon(true);
      answering.start();
      int answered = 0;
      for (int i = 0; i < 200; i++) {
        quick.dropOnClientBytes(("end-" + i + "\n").getBytes(StandardCharsets.US_ASCII),
            TcpProxy.KillPoint.AFTER_FORWARD);
        try (Socket client = new Socket("127.0.0.1", quick.port())) {
          client.setSoTimeout(5_000);
          client.getOutputStream().write(("ask end-" + i + "\n").getBytes(StandardCharsets.US_ASCII));
          answered += client.getInputStream().read() >= 0 ? 1 : 0;
        } catch (SocketException reset) {
          // the answer was lost, as the kill point says
        }
      }
      assertEquals(200, quick.killsFired());
      assertEquals(0, answered, "answers that came through an AFTER_FORWARD kill");
    }
  }

  /** Reads a line from each connection, answers "ok" at once, then reads to the end. */
  private static void answerEachLine(ServerSocket server) {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        InputStream in = s.getInputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
          // the request line
        }
        s.getOutputStream().write("ok\n".getBytes(StandardCharsets.US_ASCII));
        while (in.read() >= 0) {
          // until the proxy ends the stream
        }
      } catch (IOException e) {
        // closed by the test, or a connection reset: take the next one
      }
    }
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private Connection viaProxy(String extraOptions) throws SQLException {
    return DriverManager.getConnection(url(extraOptions), db.user(), db.password());
  }

  private String url(String extraOptions) {
    return db.jdbcUrlThrough(proxy) + OPTIONS + extraOptions;
  }

  private static Connection direct() throws SQLException {
    return db.dataSource().getConnection();
  }

  private static int selectOne(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private void createTable() throws SQLException {
    try (Connection c = direct(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY) ENGINE=InnoDB");
    }
  }

  private void insert(Connection c, int id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (id) VALUES (?)")) {
      ps.setInt(1, id);
      ps.executeUpdate();
    }
  }

  private long countRows() throws SQLException {
    try (Connection c = direct(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
