package io.logrouter.syslog;

import static io.logrouter.syslog.SyslogTestSupport.awaitRows;
import static io.logrouter.syslog.SyslogTestSupport.octetCounted;
import static io.logrouter.syslog.SyslogTestSupport.sendTcp;
import static io.logrouter.syslog.SyslogTestSupport.sendUdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import io.logrouter.threads.RouterThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed syslog input (random bytes, cut and bit-flipped messages, absurd length headers, invalid
 * UTF-8) over TCP and UDP never stops the listener: a syslog sender gets no answer, so a line that does
 * not parse is stored raw as the message with a {@code parse_error} attribute, and the next good message
 * still lands.
 */
class SyslogFuzzTest {
  private static final String GOOD = "<165>1 2026-12-01T10:00:00Z host app 1 ID [sd@1 k=\"v\"] fine";

  @TempDir
  Path queueDir;

  @Test
  void malformedInputNeverStopsTheListener() throws Exception {
    long failuresBefore = RouterThreads.failures();
    try (TestDatabase db = TestDatabase.create("syslog_fuzz");
        RouterHarness router = SyslogTestSupport.router(db, queueDir, Map.of("syslog.max.message.bytes", "2KB"))) {
      int tcp = router.router().syslog().tcpPort();
      int udp = router.router().syslog().udpPort();
      Random random = new Random(11);
      List<byte[]> cases = cases(random);
      ByteArrayOutputStream oneConnection = new ByteArrayOutputStream();
      try (DatagramSocket udpSocket = new DatagramSocket()) {
        for (byte[] c : cases) {
          sendTcp(tcp, c);
          oneConnection.writeBytes(c);
          udpSocket.send(new DatagramPacket(c, Math.min(c.length, 60_000), InetAddress.getLoopbackAddress(), udp));
        }
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      sendTcp(tcp, oneConnection.toByteArray());
      sendTcp(tcp, octetCounted("<14>1 - - sentinel-tcp - - - after the fuzz"));
      sendUdp(udp, "<14>1 - - sentinel-udp - - - after the fuzz");
      awaitRows(router, db, "source = 'sentinel-tcp'", 1, Duration.ofSeconds(60));
      awaitRows(router, db, "source = 'sentinel-udp'", 1, Duration.ofSeconds(30));
      assertEquals(failuresBefore, RouterThreads.failures(), "no listener round failed");
      assertTrue(db.queryLong("SELECT COUNT(*) FROM logs WHERE JSON_EXISTS(attributes, '$.parse_error')") > 100,
          "malformed lines are kept, with the reason");
      assertEquals(0, db.queryLong("SELECT COUNT(*) FROM logs_rejected"), "nothing the database refused");
      assertEquals(200, router.get("/health").status());
    }
  }

  private static List<byte[]> cases(Random random) {
    List<byte[]> cases = new ArrayList<>();
    byte[] good = GOOD.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 150; i++) {
      byte[] b = new byte[random.nextInt(3000)];
      random.nextBytes(b);
      cases.add(b);
      byte[] flipped = good.clone();
      for (int f = 0; f < 1 + random.nextInt(4); f++) {
        flipped[random.nextInt(flipped.length)] = (byte) random.nextInt(256);
      }
      cases.add(with('\n', flipped));
      cases.add(with('\n', java.util.Arrays.copyOf(good, random.nextInt(good.length))));
    }
    for (String s : new String[] {"999999999999 <13>x\n", "5 <13>\n", "0 \n", "<", "<13", "<13>", "<1000>1 x\n",
        "<13>1 \n", "<13>1 2026-02-30T00:00:00Z h a - - - bad day\n", "<13>1 9999-12-31T23:59:59-01:00 h a - - - y\n",
        "<13>1 - - - - - [a b=\"\\\n", "\u0000\u0000\n", "<13>Feb 31 25:61:61 h t: x\n", "<13>" + "t".repeat(300) + ": m\n",
        "3000 <13>" + "z".repeat(2990) + "\n"}) {
      cases.add(s.getBytes(StandardCharsets.UTF_8));
    }
    cases.add(new byte[] {'<', '1', '3', '>', (byte) 0xC3, (byte) 0x28, (byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'});
    return cases;
  }

  private static byte[] with(char end, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(b, b.length + 1);
    out[b.length] = (byte) end;
    return out;
  }
}
