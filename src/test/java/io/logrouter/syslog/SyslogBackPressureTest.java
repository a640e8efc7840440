package io.logrouter.syslog;

import static io.logrouter.syslog.SyslogTestSupport.awaitRows;
import static io.logrouter.syslog.SyslogTestSupport.octetCounted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.Await;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TcpProxy;
import io.logrouter.testsupport.TestDatabase;
import io.logrouter.testsupport.TestKeystores;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dead MySQL and a tiny backlog limit: the router stops reading the syslog socket, so the TCP sender
 * blocks instead of anything being dropped; once MySQL is back every message lands exactly once. Plain
 * TCP and TLS.
 */
class SyslogBackPressureTest {
  private static final int MESSAGES = 100_000;
  private static final int PER_WRITE = 100;

  @TempDir
  Path queueDir;

  /** Opens the sender's connection: plain TCP or TLS. */
  private interface Connect {
    Socket to(int port) throws IOException;
  }

  @TempDir
  static Path keys;

  @Test
  void aFullBacklogBlocksTheTcpSenderAndLosesNothing() throws Exception {
    blocksTheSenderAndLosesNothing("syslog_bp", Map.of(), port -> new Socket("127.0.0.1", port));
  }

  /**
   * Over TLS the router must neither read while paused nor lose what it had decrypted when the pause
   * began (records already unwrapped, partial frames).
   */
  @Test
  void overTlsAFullBacklogBlocksTheSenderAndLosesNothing() throws Exception {
    Path keystore = TestKeystores.selfSigned(keys, "back-pressure-pw");
    SSLContext client = TestKeystores.trusting(keystore, "back-pressure-pw");
    blocksTheSenderAndLosesNothing("syslog_bp_tls", Map.of("syslog.tls.keystore", keystore.toString(),
        "syslog.tls.keystore.password", "back-pressure-pw"), port -> client.getSocketFactory().createSocket("127.0.0.1", port));
  }

  private void blocksTheSenderAndLosesNothing(String schema, Map<String, String> extra, Connect connect)
      throws Exception {
    try (TestDatabase db = TestDatabase.create(schema);
        TcpProxy proxy = db.startProxy()) {
      proxy.cut();
      Map<String, String> config = new HashMap<>(extra);
      config.putAll(Map.of("db.url", db.jdbcUrlThrough(proxy), "queue.max.bytes", "20KB",
          "flush.retry.initial", "50ms", "flush.retry.max", "500ms"));
      try (RouterHarness router = SyslogTestSupport.router(db, queueDir.resolve(schema), config)) {
        AtomicInteger written = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread sender = new Thread(() -> send(connect, router.router().syslog().tcpPort(), written, failure),
            "syslog-sender");
        sender.start();
        Await.until("the backlog gate refuses", Duration.ofSeconds(30),
            () -> router.router().gate().refusal() != null);
        Await.until("the sender blocks", Duration.ofSeconds(60), () -> {
          int before = written.get();
          sleep(1500);
          return written.get() == before;
        });
        int blockedAt = written.get();
        assertTrue(blockedAt < MESSAGES, "the sender was held back, at " + blockedAt);
        assertTrue(sender.isAlive(), "the connection stays open while blocked");
        assertNull(failure.get(), "the sender got no error");
        proxy.restore();
        sender.join(120_000);
        assertNull(failure.get(), "the sender got no error");
        assertEquals(MESSAGES, written.get());
        awaitRows(router, db, "source = 'bp'", MESSAGES, Duration.ofSeconds(120));
        assertEquals(MESSAGES, db.queryLong("SELECT COUNT(*) FROM logs"), "none duplicated");
        assertEquals(MESSAGES, db.queryLong("SELECT COUNT(DISTINCT message) FROM logs"), "none lost");
      }
    }
  }

  private static void send(Connect connect, int port, AtomicInteger written, AtomicReference<Throwable> failure) {
    try (Socket s = connect.to(port); OutputStream out = s.getOutputStream()) {
      String pad = "p".repeat(150);
      for (int i = 0; i < MESSAGES; i += PER_WRITE) {
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        for (int j = i; j < i + PER_WRITE; j++) {
          chunk.writeBytes(octetCounted("<14>1 2026-12-01T10:00:00Z h bp - - - seq " + j + " " + pad));
        }
        out.write(chunk.toByteArray());
        written.addAndGet(PER_WRITE);
      }
    } catch (Throwable e) {
      failure.set(e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
