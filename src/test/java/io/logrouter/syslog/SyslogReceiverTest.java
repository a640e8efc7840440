package io.logrouter.syslog;

import static io.logrouter.syslog.SyslogTestSupport.awaitRows;
import static io.logrouter.syslog.SyslogTestSupport.octetCounted;
import static io.logrouter.syslog.SyslogTestSupport.sendTcp;
import static io.logrouter.syslog.SyslogTestSupport.sendUdp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.logrouter.testsupport.RouterHarness;
import io.logrouter.testsupport.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Syslog over TCP (both framings) and UDP, end to end: the rows in MySQL, field by field. */
class SyslogReceiverTest {
  @TempDir
  Path queueDir;

  @Test
  void tcpOctetCountedAndLineFramedAndUdpLandAsRows() throws Exception {
    try (TestDatabase db = TestDatabase.create("syslog_e2e");
        RouterHarness router = SyslogTestSupport.router(db, queueDir, Map.of())) {
      int tcp = router.router().syslog().tcpPort();
      int udp = router.router().syslog().udpPort();
      ByteArrayOutputStream octets = new ByteArrayOutputStream();
      for (int i = 0; i < 2000; i++) {
        octets.writeBytes(octetCounted("<165>1 2026-12-01T10:00:00.000123Z host-a app-a 42 ID7 [x@1 seq=\"" + i
            + "\"] octet " + i + " \n with a newline inside"));
      }
      sendTcp(tcp, octets.toByteArray());
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < 500; i++) {
        lines.append("<27>Dec  1 09:08:07 host-b sshd[77]: line ").append(i).append('\n');
      }
      sendTcp(tcp, lines.toString().getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < 20; i++) {
        sendUdp(udp, "<134>1 2026-12-01T10:00:01Z host-c udp-app - - - datagram " + i);
      }
      awaitRows(router, db, "source = 'app-a'", 2000, Duration.ofSeconds(60));
      awaitRows(router, db, "source = 'sshd'", 500, Duration.ofSeconds(30));
      awaitRows(router, db, "source = 'udp-app'", 20, Duration.ofSeconds(30));
      assertEquals(2000, db.queryLong("SELECT COUNT(DISTINCT message) FROM logs WHERE source = 'app-a'"), "none duplicated");
      assertEquals(2520, db.queryLong("SELECT COUNT(*) FROM logs"));
      try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT ts, level, message, JSON_VALUE(attributes, '$.hostname'),"
              + " JSON_VALUE(attributes, '$.sd.\"x@1\".seq'), JSON_VALUE(attributes, '$.facility'),"
              + " JSON_VALUE(attributes, '$.procid'), JSON_VALUE(attributes, '$.msgid')"
              + " FROM logs WHERE message LIKE 'octet 7 %'")) {
        rs.next();
        assertEquals("2026-12-01 10:00:00.000123", rs.getString(1));
        assertEquals("INFO", rs.getString(2));
        assertEquals("octet 7 \n with a newline inside", rs.getString(3));
        assertEquals("host-a", rs.getString(4));
        assertEquals("7", rs.getString(5));
        assertEquals("local4", rs.getString(6));
        assertEquals("42", rs.getString(7));
        assertEquals("ID7", rs.getString(8));
      }
      assertEquals(500, db.queryLong("SELECT COUNT(*) FROM logs WHERE source = 'sshd' AND level = 'ERROR'"
          + " AND JSON_VALUE(attributes, '$.hostname') = 'host-b' AND message LIKE 'line %'"));
    }
  }
}
