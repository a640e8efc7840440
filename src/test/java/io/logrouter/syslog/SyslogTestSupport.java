package io.logrouter.syslog;

import io.logrouter.testsupport.Await;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A router with its syslog listeners on free ports, and plain-socket senders. */
final class SyslogTestSupport {
  private SyslogTestSupport() {}

  static RouterHarness router(TestDatabase db, Path queueDir, Map<String, String> extra) {
    Map<String, String> config = new HashMap<>();
    config.put("syslog.host", "127.0.0.1");
    config.put("syslog.tcp.port", Integer.toString(freeTcpPort()));
    config.put("syslog.udp.port", Integer.toString(freeUdpPort()));
    config.put("flush.interval", "200ms");
    config.putAll(extra);
    return RouterHarness.start(db, queueDir, config);
  }

  static int freeTcpPort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int freeUdpPort() {
    try (DatagramSocket s = new DatagramSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** RFC 6587 octet-counting: {@code LEN SP MSG}. */
  static byte[] octetCounted(String message) {
    byte[] m = message.getBytes(StandardCharsets.UTF_8);
    byte[] head = (m.length + " ").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + m.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(m, 0, out, head.length, m.length);
    return out;
  }

  static void sendTcp(int port, byte[] bytes) {
    try (Socket s = new Socket("127.0.0.1", port); OutputStream out = s.getOutputStream()) {
      out.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sendUdp(int port, String message) {
    try (DatagramSocket s = new DatagramSocket()) {
      byte[] b = message.getBytes(StandardCharsets.UTF_8);
      s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String newest(TestDatabase db) {
    try (java.sql.Connection c = db.dataSource().getConnection(); java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT source, message, attributes FROM logs ORDER BY id DESC LIMIT 1")) {
      return rs.next() ? rs.getString(1) + " | " + rs.getString(2) + " | " + rs.getString(3) : "none";
    } catch (java.sql.SQLException e) {
      return e.toString();
    }
  }

  /** Waits (flush.interval is 200 ms) until {@code rows} rows match {@code where}; fails after the timeout. */
  static void awaitRows(RouterHarness router, TestDatabase db, String where, long rows, Duration timeout) {
    try {
      Await.until(rows + " rows where " + where, timeout,
          () -> db.queryLong("SELECT COUNT(*) FROM logs WHERE " + where) >= rows);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; found " + db.queryLong("SELECT COUNT(*) FROM logs WHERE " + where)
          + " of " + db.queryLong("SELECT COUNT(*) FROM logs") + " rows; newest: " + newest(db), e);
    }
  }
}
