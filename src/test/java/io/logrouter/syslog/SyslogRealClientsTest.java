package io.logrouter.syslog;

import static io.logrouter.syslog.SyslogTestSupport.awaitRows;
import static io.logrouter.syslog.SyslogTestSupport.freeTcpPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.logrouter.testsupport.Await;
import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import io.logrouter.testsupport.TestKeystores;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The syslog senders people run, installed from Debian by {@code scripts/syslog-clients.sh}: rsyslog
 * {@code omfwd} over TCP (RFC 5424, octet-counted) and UDP (RFC 3164), syslog-ng {@code network()}
 * (RFC 3164, LF-framed) and {@code loggen} (RFC 5424, octet-counted); over TLS (RFC 5425) rsyslog's gtls
 * driver and syslog-ng's {@code syslog()} with {@code transport("tls")}. Rows are counted in MySQL.
 */
@org.junit.jupiter.api.Tag("once") // real clients/cluster: the SQL is the flush's, run on both servers elsewhere
class SyslogRealClientsTest {
  private static final int LINES = 500;
  private static Map<String, String> clients;

  @TempDir
  Path dir;

  @BeforeAll
  static void install() throws Exception {
    Process p = new ProcessBuilder("bash", "scripts/syslog-clients.sh", "target/syslog-clients")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean done = p.waitFor(10, TimeUnit.MINUTES) && p.exitValue() == 0;
    assumeTrue(done, "skipped: rsyslog / syslog-ng could not be installed from Debian (scripts/syslog-clients.sh)");
    clients = new HashMap<>();
    for (String line : out.split("\n")) {
      if (line.startsWith("export ")) {
        String[] kv = line.substring(7).split("=", 2);
        clients.put(kv[0], kv[1]);
      }
    }
  }

  @Test
  void rsyslogOmfwdOverTcpAndUdp() throws Exception {
    int inTcp = freeTcpPort();
    int inUdp = freeTcpPort();
    try (TestDatabase db = TestDatabase.create("syslog_rsyslog");
        RouterHarness router = SyslogTestSupport.router(db, dir.resolve("queue"), Map.of())) {
      Files.createDirectories(dir.resolve("work"));
      String conf = """
          global(workDirectory="%s")
          module(load="imtcp")
          input(type="imtcp" address="127.0.0.1" port="%d" ruleset="toRouterTcp")
          input(type="imtcp" address="127.0.0.1" port="%d" ruleset="toRouterUdp")
          ruleset(name="toRouterTcp") {
            action(type="omfwd" target="127.0.0.1" port="%d" protocol="tcp" TCP_Framing="octet-counted"
                   template="RSYSLOG_SyslogProtocol23Format")
          }
          ruleset(name="toRouterUdp") {
            action(type="omfwd" target="127.0.0.1" port="%d" protocol="udp")
          }
          """.formatted(dir.resolve("work"), inTcp, inUdp, router.router().syslog().tcpPort(),
          router.router().syslog().udpPort());
      Files.writeString(dir.resolve("rsyslog.conf"), conf);
      Process rsyslogd = start(List.of("rsyslogd", "-n", "-f", dir.resolve("rsyslog.conf").toString(), "-i",
          dir.resolve("rsyslog.pid").toString()), Map.of());
      try {
        awaitListening(inTcp);
        awaitListening(inUdp);
        logger(inTcp, "rs-tcp", false);
        logger(inUdp, "rs-udp", false);
        awaitRows(router, db, "source = 'rs-tcp'", LINES, Duration.ofSeconds(60));
        awaitRows(router, db, "source = 'rs-udp'", LINES, Duration.ofSeconds(60));
        Thread.sleep(500);
        assertEquals(LINES, db.queryLong("SELECT COUNT(DISTINCT message) FROM logs WHERE source = 'rs-tcp'"));
        assertEquals(LINES, db.queryLong("SELECT COUNT(*) FROM logs WHERE source = 'rs-tcp' AND level = 'WARN'"
            + " AND message LIKE 'line %' AND JSON_VALUE(attributes, '$.facility') = 'local3'"
            + " AND JSON_VALUE(attributes, '$.hostname') IS NOT NULL"));
        assertEquals(LINES, db.queryLong("SELECT COUNT(*) FROM logs WHERE source = 'rs-udp' AND level = 'WARN'"
            + " AND message LIKE 'line %'"), "over UDP (loopback, a few hundred messages: none lost here)");
      } finally {
        rsyslogd.destroy();
        rsyslogd.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void syslogNgNetworkAndLoggen() throws Exception {
    int in = freeTcpPort();
    try (TestDatabase db = TestDatabase.create("syslog_sng");
        RouterHarness router = SyslogTestSupport.router(db, dir.resolve("queue"), Map.of())) {
      int port = router.router().syslog().tcpPort();
      Files.writeString(dir.resolve("sng.conf"), """
          @version: 3.38
          options { stats_freq(0); };
          source s { network(ip(127.0.0.1) port(%d) transport(tcp)); };
          destination router { network("127.0.0.1" port(%d) transport(tcp)); };
          log { source(s); destination(router); };
          """.formatted(in, port));
      Process syslogNg = startSyslogNg("sng");
      try {
        awaitListening(in);
        logger(in, "sng-tcp", true);
        awaitRows(router, db, "source = 'sng-tcp'", LINES, Duration.ofSeconds(60));
      } finally {
        syslogNg.destroy();
        syslogNg.waitFor(10, TimeUnit.SECONDS);
      }
      Process loggen = start(List.of(clients.get("LOGGEN"), "--inet", "--stream", "--syslog-proto", "--size", "200",
          "--number", "20000", "--rate", "100000", "--quiet", "127.0.0.1", Integer.toString(port)), syslogNgEnv());
      assertEquals(0, loggen.waitFor() , "loggen exit status");
      awaitRows(router, db, "source LIKE 'prg%'", 20_000, Duration.ofSeconds(60));
      Thread.sleep(500);
      assertEquals(LINES, db.queryLong("SELECT COUNT(DISTINCT message) FROM logs WHERE source = 'sng-tcp'"
          + " AND level = 'WARN' AND JSON_VALUE(attributes, '$.hostname') IS NOT NULL"));
      assertEquals(20_000, db.queryLong("SELECT COUNT(*) FROM logs WHERE source LIKE 'prg%'"), "none duplicated");
      assertEquals(20_000, db.queryLong("SELECT COUNT(DISTINCT message)"
          + " FROM logs WHERE source LIKE 'prg%'"), "none lost");
    }
  }

  /**
   * RFC 5425 from both real senders to the TLS listener, each verifying the router's certificate
   * against the CA file (here the self-signed certificate itself): rsyslog {@code omfwd} with the gtls
   * stream driver (octet-counted), syslog-ng {@code syslog()} with {@code transport("tls")}.
   */
  @Test
  void rsyslogGtlsAndSyslogNgTlsToTheTlsListener() throws Exception {
    Path keystore = TestKeystores.selfSigned(dir, SyslogTlsTest.PASSWORD);
    Path ca = dir.resolve("router-ca.pem");
    Files.writeString(ca, TestKeystores.certificatePem(keystore, SyslogTlsTest.PASSWORD));
    int rsIn = freeTcpPort();
    int sngIn = freeTcpPort();
    try (TestDatabase db = TestDatabase.create("syslog_real_tls");
        RouterHarness router = SyslogTestSupport.router(db, dir.resolve("queue"), Map.of(
            "syslog.tls.keystore", keystore.toString(), "syslog.tls.keystore.password", SyslogTlsTest.PASSWORD))) {
      int port = router.router().syslog().tcpPort();
      Files.createDirectories(dir.resolve("work"));
      Files.writeString(dir.resolve("rsyslog-tls.conf"), """
          global(workDirectory="%s" DefaultNetstreamDriverCAFile="%s")
          module(load="imtcp")
          input(type="imtcp" address="127.0.0.1" port="%d" ruleset="toRouter")
          ruleset(name="toRouter") {
            action(type="omfwd" target="127.0.0.1" port="%d" protocol="tcp" TCP_Framing="octet-counted"
                   StreamDriver="gtls" StreamDriverMode="1" StreamDriverAuthMode="x509/name"
                   StreamDriverPermittedPeers="localhost" template="RSYSLOG_SyslogProtocol23Format")
          }
          """.formatted(dir.resolve("work"), ca, rsIn, port));
      Files.writeString(dir.resolve("sng-tls.conf"), """
          @version: 3.38
          options { stats_freq(0); };
          source s { network(ip(127.0.0.1) port(%d) transport(tcp)); };
          destination router { syslog("127.0.0.1" port(%d) transport("tls")
              tls(ca-file("%s") peer-verify(required-trusted))); };
          log { source(s); destination(router); };
          """.formatted(sngIn, port, ca));
      Process rsyslogd = start(List.of("rsyslogd", "-n", "-f", dir.resolve("rsyslog-tls.conf").toString(), "-i",
          dir.resolve("rsyslog-tls.pid").toString()), Map.of());
      Process syslogNg = startSyslogNg("sng-tls");
      try {
        awaitListening(rsIn);
        awaitListening(sngIn);
        logger(rsIn, "rs-tls", false);
        logger(sngIn, "sng-tls", true);
        awaitRows(router, db, "source = 'rs-tls'", LINES, Duration.ofSeconds(60));
        awaitRows(router, db, "source = 'sng-tls'", LINES, Duration.ofSeconds(60));
        Thread.sleep(500);
        for (String source : List.of("rs-tls", "sng-tls")) {
          assertEquals(LINES, db.queryLong("SELECT COUNT(DISTINCT message) FROM logs WHERE source = '" + source
              + "' AND level = 'WARN' AND message LIKE 'line %' AND JSON_VALUE(attributes, '$.hostname') IS NOT NULL"),
              source);
        }
        assertEquals(2 * LINES, db.queryLong("SELECT COUNT(*) FROM logs"), "none duplicated");
      } finally {
        rsyslogd.destroy();
        syslogNg.destroy();
        rsyslogd.waitFor(10, TimeUnit.SECONDS);
        syslogNg.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** util-linux logger: one message per stdin line, local3.warning, over TCP (syslog-ng's network() source reads RFC 3164). */
  private static void logger(int port, String tag, boolean rfc3164) throws Exception {
    Process p = new ProcessBuilder("logger", "--tcp", "-n", "127.0.0.1", "-P", Integer.toString(port), "-t", tag,
        "-p", "local3.warning", rfc3164 ? "--rfc3164" : "--rfc5424").redirectErrorStream(true).start();
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < LINES; i++) {
      lines.append("line ").append(i).append(" from ").append(tag).append('\n');
    }
    p.getOutputStream().write(lines.toString().getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "logger: " + out);
  }

  /** The private syslog-ng in the foreground with {@code dir/NAME.conf}; its pid, persist and control files beside it. */
  private Process startSyslogNg(String name) throws IOException {
    return start(List.of(clients.get("SYSLOGNG"), "-F", "-f", dir.resolve(name + ".conf").toString(),
        "--module-path=" + clients.get("SYSLOGNG_MODULES"), "-p", dir.resolve(name + ".pid").toString(),
        "-R", dir.resolve(name + ".persist").toString(), "-c", dir.resolve(name + ".ctl").toString()), syslogNgEnv());
  }

  private static Map<String, String> syslogNgEnv() {
    return Map.of("LD_LIBRARY_PATH", clients.get("SYSLOGNG_LD_LIBRARY_PATH"), "SYSLOGNG_PREFIX",
        clients.get("SYSLOGNG_PREFIX"));
  }

  private static Process start(List<String> command, Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().putAll(env);
    return pb.start();
  }

  private static void awaitListening(int port) {
    Await.until("a listener on port " + port, Duration.ofSeconds(30), () -> {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return true;
      } catch (IOException e) {
        return false;
      }
    });
  }
}
