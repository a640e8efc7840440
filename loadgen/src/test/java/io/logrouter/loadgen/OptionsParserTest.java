package io.logrouter.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsParserTest {
    private static final String URL = "http://127.0.0.1:8080/log";

    @Test
    void defaultsMatchTheUsersLoad() throws Exception {
        Options o = OptionsParser.parse("--url", URL);
        assertEquals(URI.create(URL), o.url());
        assertEquals(1000, o.rate());
        assertEquals(Duration.ofSeconds(30), o.duration());
        assertEquals(32, o.connections());
        assertEquals(1, o.eventsPerRequest());
        assertEquals(PayloadKind.SEED, o.payload());
        assertEquals(Duration.ofSeconds(10), o.requestTimeout());
        assertNull(o.jsonOut());
        assertFalse(o.verify());
        assertEquals(Duration.ofSeconds(90), o.verifyTimeout());
        assertEquals("logs", o.verifyTable());
        assertEquals(30_000, o.scheduledRequests());
        assertEquals(Duration.ZERO, o.warmup());
    }

    @Test
    void everyFlagInBothSpellings() throws Exception {
        Options o = OptionsParser.parse("--url=" + URL, "--rate", "250", "--duration=2m", "--warmup", "10s", "--connections", "4",
                "--events-per-request=1000", "--payload", "NDJSON", "--timeout", "500ms", "--json-out", "out.json",
                "--verify", "jdbc:mysql://127.0.0.1:3306/logs", "--db-user", "lr", "--db-password=",
                "--verify-table", "logs_v2", "--verify-timeout", "1h",
                "--flush-url", "http://127.0.0.1:18081/admin/flush", "--flush-url=http://127.0.0.1:18082/admin/flush");
        assertEquals(250, o.rate());
        assertEquals(Duration.ofMinutes(2), o.duration());
        assertEquals(Duration.ofSeconds(10), o.warmup());
        assertEquals(2_500, o.warmupRequests());
        assertEquals(4, o.connections());
        assertEquals(1000, o.eventsPerRequest());
        assertEquals(PayloadKind.NDJSON, o.payload());
        assertEquals(Duration.ofMillis(500), o.requestTimeout());
        assertEquals(Path.of("out.json"), o.jsonOut());
        assertTrue(o.verify());
        assertEquals("jdbc:mysql://127.0.0.1:3306/logs", o.verifyJdbcUrl());
        assertEquals("lr", o.dbUser());
        assertEquals("", o.dbPassword());
        assertEquals("logs_v2", o.verifyTable());
        assertEquals(Duration.ofHours(1), o.verifyTimeout());
        assertEquals(List.of(URI.create("http://127.0.0.1:18081/admin/flush"),
                URI.create("http://127.0.0.1:18082/admin/flush")), o.flushUrls());
        assertEquals(32_500, o.scheduledRequests(), "warmup requests are sent too");
    }

    @Test
    void mariadbJdbcUrlsAreSpokenByConnectorJ() throws Exception {
        Options o = OptionsParser.parse("--url", URL, "--verify", "jdbc:mariadb://127.0.0.1/logs");
        assertEquals("jdbc:mysql://127.0.0.1/logs", o.verifyJdbcUrl());
    }

    @Test
    void helpNeedsNoUrl() throws Exception {
        assertTrue(OptionsParser.parse("--help").help());
    }

    @Test
    void wrongFlagsSayWhatIsWrong() {
        assertMessage("--url is required", "--rate", "5");
        assertMessage("unknown flag --rat", "--url", URL, "--rat", "5");
        assertMessage("--rate must be a whole number from 1 to 1000000, not 'fast'", "--url", URL, "--rate", "fast");
        assertMessage("--rate must be a whole number from 1 to 1000000, not '0'", "--url", URL, "--rate", "0");
        assertMessage("--connections must be a whole number from 1 to 1000", "--url", URL, "--connections", "5000");
        assertMessage("--duration must look like 500ms, 30s, 2m or 1h, not '30'", "--url", URL, "--duration", "30");
        assertMessage("--duration must be more than zero", "--url", URL, "--duration", "0s");
        assertMessage("--payload must be seed, structured or ndjson, not 'xml'", "--url", URL, "--payload", "xml");
        assertMessage("--url must be an http:// or https:// URL", "--url", "ftp://x/log");
        assertMessage("--url must be an http:// or https:// URL", "--url", "127.0.0.1:8080");
        assertMessage("--verify must be a JDBC URL", "--url", URL, "--verify", "mysql://x");
        assertMessage("--verify-table must be a plain table name", "--url", URL, "--verify-table", "logs; DROP TABLE x");
        assertMessage("--timeout needs a value", "--url", URL, "--timeout");
        assertMessage("unexpected argument 'extra'", "--url", URL, "extra");
        assertMessage("--flush-url only makes sense with --verify", "--url", URL, "--flush-url", URL);
        assertMessage("schedules no request at all", "--url", URL, "--rate", "1", "--duration", "500ms");
    }

    private static void assertMessage(String expected, String... args) {
        UsageException e = assertThrows(UsageException.class, () -> OptionsParser.parse(args));
        assertTrue(e.getMessage().contains(expected), () -> "message was: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void durations() throws Exception {
        assertEquals(Duration.ofMillis(250), Durations.parse("--x", "250ms"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("--x", " 30s "));
        assertEquals(Duration.ofMinutes(5), Durations.parse("--x", "5m"));
        assertEquals(Duration.ofHours(2), Durations.parse("--x", "2h"));
        assertThrows(UsageException.class, () -> Durations.parse("--x", "-1s"));
        assertThrows(UsageException.class, () -> Durations.parse("--x", "1.5s"));
        assertThrows(UsageException.class, () -> Durations.parse("--x", "s"));
    }

    @Test
    void scheduleSpreadsRequestsEvenlyWithoutOverflow() {
        assertEquals(0, LoadRunner.dueOffsetNanos(0, 1000));
        assertEquals(1_000_000, LoadRunner.dueOffsetNanos(1, 1000));
        assertEquals(1_500_000_000L, LoadRunner.dueOffsetNanos(1500, 1000));
        assertEquals(333_333_333L, LoadRunner.dueOffsetNanos(1, 3));
        // 1,000,000 req/s for 24 h: i * 1e9 alone would overflow a long.
        long i = 86_400L * 1_000_000L;
        assertEquals(86_400L * 1_000_000_000L, LoadRunner.dueOffsetNanos(i, 1_000_000));
    }
}
