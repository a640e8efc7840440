package io.logrouter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.config.ConfigException;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import io.logrouter.testsupport.TestKeystores;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with HTTP/2 from a keystore generated here by keytool, plain HTTP turned off. */
class TlsHttpTest {
  static final String PASSWORD = "test-keystore-pw";

  @TempDir
  static Path dir;
  static Path keystore;
  static TestDatabase db;

  @BeforeAll
  static void generateKeystore() {
    db = TestDatabase.create("tls");
    keystore = TestKeystores.selfSigned(dir, PASSWORD);
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  @Test
  void httpsServesHttp2WithTheKeystoresCertificateAndPlainHttpCanBeOff() throws Exception {
    try (RouterHarness router = RouterHarness.start(db, dir.resolve("queue"), Map.of("http.enabled", "false",
        "http.tls.keystore", keystore.toString(), "http.tls.keystore.password", PASSWORD, "http.tls.port", "0"))) {
      int port = router.router().tlsPort();
      assertTrue(port > 0);
      assertEquals(-1, router.router().port(), "no plain-HTTP listener");
      HttpClient client = HttpClient.newBuilder().sslContext(trusting(keystore)).version(HttpClient.Version.HTTP_2)
          .connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> r = Requests.send(client, HttpRequest.newBuilder(
              URI.create("https://127.0.0.1:" + port + "/log")).timeout(Duration.ofSeconds(30))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"over h2\"}")).build());
      assertEquals(202, r.statusCode(), r.body());
      assertEquals(HttpClient.Version.HTTP_2, r.version(), "ALPN negotiated h2");
      HttpResponse<String> health = Requests.send(client, HttpRequest.newBuilder(
          URI.create("https://127.0.0.1:" + port + "/health")).GET().build());
      assertEquals(200, health.statusCode());
    }
  }

  /** Issue 15: testssl.sh rated client renegotiation HIGH; CBC and static-RSA suites were offered. */
  @Test
  void tls12OffersOnlyForwardSecretAeadSuitesAndRefusesClientRenegotiation() throws Exception {
    try (RouterHarness router = RouterHarness.start(db, dir.resolve("queue4"), Map.of("http.enabled", "false",
        "http.tls.keystore", keystore.toString(), "http.tls.keystore.password", PASSWORD, "http.tls.port", "0"))) {
      int port = router.router().tlsPort();
      SSLContext client = trusting(keystore);
      try (SSLSocket cbc = socket(client, port, "TLSv1.2")) {
        cbc.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_GCM_SHA256"});
        assertThrows(IOException.class, cbc::startHandshake, "a CBC or static-RSA suite was accepted");
      }
      try (SSLSocket tls13 = socket(client, port, "TLSv1.3")) {
        tls13.startHandshake();
        assertEquals("TLSv1.3", tls13.getSession().getProtocol());
      }
      try (SSLSocket tls12 = socket(client, port, "TLSv1.2")) {
        tls12.startHandshake();
        String suite = tls12.getSession().getCipherSuite();
        assertTrue(suite.startsWith("TLS_ECDHE_") && (suite.contains("_GCM_") || suite.contains("CHACHA20")), suite);
        assertEquals(200, health(tls12), "the connection works before renegotiation");
        assertThrows(IOException.class, () -> {
          tls12.startHandshake(); // on an established TLS 1.2 session: a client-initiated renegotiation
          if (health(tls12) != 200) {
            throw new IOException("no answer after the renegotiation attempt");
          }
        }, "a client-initiated renegotiation was accepted");
      }
    }
  }

  private static SSLSocket socket(SSLContext context, int port, String protocol) throws IOException {
    SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
    s.setEnabledProtocols(new String[] {protocol});
    s.setSoTimeout(10_000);
    return s;
  }

  /** GET /health over HTTP/1.1 on the socket; @return the status, or -1 when the connection ended */
  private static int health(SSLSocket s) throws IOException {
    s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && !head.toString().endsWith("\r\n\r\n")) {
      head.append((char) c);
    }
    if (!head.toString().startsWith("HTTP/1.1 ")) {
      return -1;
    }
    int length = Integer.parseInt(head.toString().replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
    in.readNBytes(length - 1); // one body byte was read by the loop above
    return Integer.parseInt(head.substring(9, 12));
  }

  @Test
  void aWrongKeystorePasswordStopsStartUpNamingTheKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> RouterHarness.start(db, dir.resolve("queue2"),
        Map.of("http.tls.keystore", keystore.toString(), "http.tls.keystore.password", "wrong", "http.tls.port", "0")));
    assertTrue(e.getMessage().startsWith("http.tls.keystore="), e.getMessage());
  }

  @Test
  void plainHttpOffWithoutAKeystoreIsAConfigError() {
    assertThrows(ConfigException.class, () -> RouterHarness.start(db, dir.resolve("queue3"),
        Map.of("http.enabled", "false")));
  }

  private static SSLContext trusting(Path p12) {
    return TestKeystores.trusting(p12, PASSWORD);
  }
}
