package io.logrouter.syslog;

import static io.logrouter.syslog.SyslogTestSupport.awaitRows;
import static io.logrouter.syslog.SyslogTestSupport.octetCounted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.config.ConfigException;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import io.logrouter.testsupport.TestKeystores;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Syslog over TLS (RFC 5425) on the syslog.tcp.port listener when syslog.tls.keystore is set: JDK
 * SSLSocket senders, a plain-TCP sender and refused handshakes, rows checked in MySQL.
 */
class SyslogTlsTest {
  static final String PASSWORD = "syslog-tls-pw";

  @TempDir
  static Path keys;
  static Path keystore;
  static SSLContext client;

  @TempDir
  Path queueDir;

  @BeforeAll
  static void generateKeystore() {
    keystore = TestKeystores.selfSigned(keys, PASSWORD);
    client = TestKeystores.trusting(keystore, PASSWORD);
  }

  static Map<String, String> tlsConfig() {
    return Map.of("syslog.tls.keystore", keystore.toString(), "syslog.tls.keystore.password", PASSWORD);
  }

  @Test
  void octetCountedAndLineFramedMessagesOverTls13And12LandAsRows() throws Exception {
    try (TestDatabase db = TestDatabase.create("syslog_tls");
        RouterHarness router = SyslogTestSupport.router(db, queueDir, tlsConfig())) {
      int port = router.router().syslog().tcpPort();
      ByteArrayOutputStream octets = new ByteArrayOutputStream();
      for (int i = 0; i < 3000; i++) {
        octets.writeBytes(octetCounted("<165>1 2026-12-01T10:00:00.000123Z host-a app-a 42 ID7 [x@1 seq=\"" + i
            + "\"] octet " + i + " \n with a newline inside"));
      }
      // One message larger than a TLS record (16 KB): it arrives in two records and two unwraps.
      octets.writeBytes(octetCounted("<165>1 2026-12-01T10:00:00Z host-a app-big - - - " + "b".repeat(40_000)));
      try (SSLSocket s = tlsSocket(port, "TLSv1.3")) {
        writeInPieces(s.getOutputStream(), octets.toByteArray());
        assertEquals("TLSv1.3", s.getSession().getProtocol());
      }
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < 500; i++) {
        lines.append("<27>Dec  1 09:08:07 host-b sshd[77]: line ").append(i).append('\n');
      }
      try (SSLSocket s = tlsSocket(port, "TLSv1.2")) {
        writeInPieces(s.getOutputStream(), lines.toString().getBytes(StandardCharsets.UTF_8));
        assertEquals("TLSv1.2", s.getSession().getProtocol());
      }
      awaitRows(router, db, "source = 'app-a'", 3000, Duration.ofSeconds(60));
      awaitRows(router, db, "source = 'sshd'", 500, Duration.ofSeconds(30));
      awaitRows(router, db, "source = 'app-big'", 1, Duration.ofSeconds(30));
      assertEquals(3000, db.queryLong("SELECT COUNT(DISTINCT message) FROM logs WHERE source = 'app-a'"), "none lost");
      assertEquals(3501, db.queryLong("SELECT COUNT(*) FROM logs"), "none duplicated");
      assertEquals(40_000, db.queryLong("SELECT LENGTH(message) FROM logs WHERE source = 'app-big'"));
      assertEquals(500, db.queryLong("SELECT COUNT(*) FROM logs WHERE source = 'sshd' AND level = 'ERROR'"
          + " AND JSON_VALUE(attributes, '$.hostname') = 'host-b' AND message LIKE 'line %'"));
      try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT level, message, JSON_VALUE(attributes, '$.hostname'),"
              + " JSON_VALUE(attributes, '$.sd.\"x@1\".seq') FROM logs WHERE message LIKE 'octet 7 %'")) {
        assertTrue(rs.next());
        assertEquals("INFO", rs.getString(1));
        assertEquals("octet 7 \n with a newline inside", rs.getString(2));
        assertEquals("host-a", rs.getString(3));
        assertEquals("7", rs.getString(4));
      }
    }
  }

  @Test
  void plainTcpSendersOnTheTlsPortStoreNothingAreLoggedOnceAndTheListenerServesOthers() throws Exception {
    ch.qos.logback.classic.Logger failuresLog =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(TlsFailures.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
        new ch.qos.logback.core.read.ListAppender<>();
    logged.start();
    failuresLog.addAppender(logged);
    try (TestDatabase db = TestDatabase.create("syslog_tls_plain");
        RouterHarness router = SyslogTestSupport.router(db, queueDir, tlsConfig())) {
      int port = router.router().syslog().tcpPort();
      try (SSLSocket tls = tlsSocket(port, "TLSv1.3")) {
        tls.startHandshake(); // a TLS sender connected before the plain ones: it must keep working
        for (int c = 0; c < 10; c++) {
          sendInClearAndAwaitClose(port, c);
        }
        tls.getOutputStream().write(octetCounted("<14>1 2026-12-01T10:00:00Z h tls-app - - - before"));
      }
      try (SSLSocket tls = tlsSocket(port, "TLSv1.3")) {
        tls.getOutputStream().write(octetCounted("<14>1 2026-12-01T10:00:00Z h tls-app - - - after"));
      }
      awaitRows(router, db, "source = 'tls-app'", 2, Duration.ofSeconds(30));
      router.flush();
      assertEquals(0, db.queryLong("SELECT COUNT(*) FROM logs WHERE message LIKE '%in clear%'"), "nothing in clear stored");
      assertEquals(2, db.queryLong("SELECT COUNT(*) FROM logs"));
      assertTrue(router.get("/metrics").body().contains("logrouter_syslog_tls_failures_total{kind=\"not_tls\"} 10.0"),
          "every plain sender is counted");
      List<String> errors = logged.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
      assertEquals(1, errors.size(), "one line for a flood of the same failure: " + errors);
      assertTrue(errors.get(0).startsWith("ERROR syslog: a TLS connection from /127.0.0.1:")
          && errors.get(0).contains("spoke no TLS"), errors.get(0));
    } finally {
      failuresLog.detachAppender(logged);
    }
  }

  private static void sendInClearAndAwaitClose(int port, int connection) throws IOException {
    try (Socket plain = new Socket("127.0.0.1", port)) {
      plain.setSoTimeout(10_000);
      ByteArrayOutputStream inClear = new ByteArrayOutputStream();
      for (int i = 0; i < 20; i++) {
        inClear.writeBytes(octetCounted("<14>1 2026-12-01T10:00:00Z h plain-app - - - in clear " + connection + " " + i));
      }
      plain.getOutputStream().write(inClear.toByteArray()); // one write: the router closes on the first bytes
      assertClosedByRouter(plain.getInputStream());
    }
  }

  /** A peer that connects and says nothing (or stalls mid-handshake) cannot hold its socket forever. */
  @Test
  void aConnectionThatNeverFinishesItsHandshakeIsClosedAfterTheTimeout() throws Exception {
    Map<String, String> config = new HashMap<>(tlsConfig());
    config.put("syslog.tls.handshake.timeout", "1s");
    try (TestDatabase db = TestDatabase.create("syslog_tls_silent");
        RouterHarness router = SyslogTestSupport.router(db, queueDir, config);
        Socket silent = new Socket("127.0.0.1", router.router().syslog().tcpPort())) {
      silent.setSoTimeout(10_000);
      long start = System.nanoTime();
      assertClosedByRouter(silent.getInputStream());
      assertTrue(System.nanoTime() - start >= 900_000_000L, "not before the timeout");
      assertTrue(router.get("/metrics").body().contains(
          "logrouter_syslog_tls_failures_total{kind=\"handshake_timeout\"} 1.0"), "counted");
      try (SSLSocket tls = tlsSocket(router.router().syslog().tcpPort(), "TLSv1.3")) {
        tls.getOutputStream().write(octetCounted("<14>1 2026-12-01T10:00:00Z h tls-app - - - after a silent one"));
      }
      awaitRows(router, db, "source = 'tls-app'", 1, Duration.ofSeconds(30));
    }
  }

  @Test
  void tls11AndWeakSuitesAreRefusedAtTheHandshake() throws Exception {
    try (TestDatabase db = TestDatabase.create("syslog_tls_old");
        RouterHarness router = SyslogTestSupport.router(db, queueDir, tlsConfig())) {
      int port = router.router().syslog().tcpPort();
      // A TLS 1.1 ClientHello written by hand: the JDK client refuses to send one (TLS 1.1 is disabled in
      // java.security), so a JDK-only test of "the server refuses it" could not fail.
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.setSoTimeout(10_000);
        s.getOutputStream().write(tls11ClientHello());
        DataInputStream in = new DataInputStream(s.getInputStream());
        assertEquals(0x15, in.readUnsignedByte(), "an alert record answers");
        in.readUnsignedShort(); // record version
        assertEquals(2, in.readUnsignedShort(), "alert length");
        assertEquals(2, in.readUnsignedByte(), "fatal");
        assertEquals(70, in.readUnsignedByte(), "protocol_version");
        assertClosedByRouter(in);
      }
      try (SSLSocket cbc = tlsSocket(port, "TLSv1.2")) {
        cbc.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_GCM_SHA256"});
        assertThrows(SSLException.class, cbc::startHandshake, "a CBC or static-RSA suite was accepted");
      }
      try (SSLSocket good = tlsSocket(port, "TLSv1.2")) {
        good.getOutputStream().write(octetCounted("<14>1 2026-12-01T10:00:00Z h good-app - - - still served"));
      }
      awaitRows(router, db, "source = 'good-app'", 1, Duration.ofSeconds(30));
      assertTrue(router.get("/metrics").body().contains("logrouter_syslog_tls_failures_total{kind=\"handshake\"} 2.0"),
          "both refusals counted");
    }
  }

  @Test
  void aWrongKeystorePasswordStopsStartUpNamingTheSyslogKey() {
    Map<String, String> config = new HashMap<>(tlsConfig());
    config.put("syslog.tls.keystore.password", "wrong");
    try (TestDatabase db = TestDatabase.create("syslog_tls_cfg")) {
      ConfigException e = assertThrows(ConfigException.class, () -> SyslogTestSupport.router(db, queueDir, config));
      assertTrue(e.getMessage().startsWith("syslog.tls.keystore=" + keystore + ": cannot load the PKCS#12 keystore")
          && e.getMessage().endsWith("LOGROUTER_SYSLOG_TLS_KEYSTORE_PASSWORD"), e.getMessage());
    }
  }

  static SSLSocket tlsSocket(int port, String protocol) throws IOException {
    SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port);
    s.setEnabledProtocols(new String[] {protocol});
    s.setSoTimeout(10_000);
    return s;
  }

  /** Irregular write sizes, so frames and TLS records cut each other everywhere. */
  private static void writeInPieces(OutputStream out, byte[] bytes) throws IOException {
    int[] sizes = {1, 7, 300, 4096, 16_000, 50_000};
    int p = 0;
    for (int i = 0; p < bytes.length; i++) {
      int n = Math.min(sizes[i % sizes.length], bytes.length - p);
      out.write(bytes, p, n);
      p += n;
    }
    out.flush();
  }

  /** The router closed the connection: end of stream or a reset, never a timeout. */
  private static void assertClosedByRouter(InputStream in) {
    try {
      while (in.read() >= 0) {
        // skip whatever the router still sent (an alert)
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the router kept the connection open", e);
    } catch (IOException e) {
      // reset: closed too
    }
  }

  /**
   * A TLS 1.1 ClientHello (record version 3.1, client_version 3.2, no supported_versions extension),
   * offering ECDHE CBC suites as a TLS 1.1 client would.
   */
  static byte[] tls11ClientHello() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(3);
    body.write(2); // client_version TLS 1.1
    body.writeBytes(new byte[32]); // random
    body.write(0); // no session id
    body.writeBytes(new byte[] {0, 4, (byte) 0xc0, 0x09, (byte) 0xc0, 0x13}); // ECDHE_{ECDSA,RSA}_AES_128_CBC_SHA
    body.writeBytes(new byte[] {1, 0}); // compression: null
    byte[] b = body.toByteArray();
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    record.writeBytes(new byte[] {0x16, 3, 1, (byte) ((b.length + 4) >> 8), (byte) (b.length + 4)});
    record.writeBytes(new byte[] {1, 0, (byte) (b.length >> 8), (byte) b.length}); // ClientHello, 24-bit length
    record.writeBytes(b);
    return record.toByteArray();
  }
}
