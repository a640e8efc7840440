package io.logrouter.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole generator against {@link FakeRouter} on a real loopback socket. */
class LoadGenTest {
    private static final String TABLE = "logs";

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void createTable() throws SQLException {
        TestDatabase.recreateLogsTable(TABLE);
    }

    @Test
    void holdsTheRateForTwoSecondsAndCountsEveryRequest() throws Exception {
        Path json = tmp.resolve("report.json");
        try (FakeRouter router = new FakeRouter()) {
            int rc = run("--url", router.url().toString(), "--rate", "200", "--duration", "2s", "--connections", "4",
                    "--json-out", json.toString());
            assertEquals(LoadGen.EXIT_OK, rc, this::output);
            assertEquals(400, router.requests.get());
            assertTrue(output().contains("sent=400 2xx=400 4xx=0 5xx=0 other=0 conn_errors=0 timeouts=0 unsent=0"), output());
            assertTrue(output().contains("result    PASS"), output());
        }
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals(400, report.get("requests").get("2xx").asLong());
        assertEquals(400, report.get("latency_ms").get("count").asLong());
        assertEquals(200, report.get("target_rate").asInt());
        // The schedule is absolute, so the achieved send rate is the target within scheduling noise
        // (25 req/s of slack: a last send up to ~0.25 s late on a busy shared machine).
        assertEquals(200.0, report.get("sent_rate").asDouble(), 25.0, this::output);
        assertTrue(report.get("passed").asBoolean());
        assertTrue(report.get("latency_ms").get("p99").asDouble() <= report.get("latency_ms").get("max").asDouble());
        // A 2 s run is one 10 s window: its p99 is the run's.
        JsonNode byWindow = report.get("latency_ms").get("p99_by_10s");
        assertEquals(1, byWindow.size(), report.toString());
        assertEquals(report.get("latency_ms").get("p99").asDouble(), byWindow.get(0).asDouble(), report.toString());
        assertTrue(output().contains("p99/10s   " + report.get("latency_ms").get("p99").asText()), output());
    }

    @Test
    void warmupRequestsAreSentAndCountedButKeptOutOfTheLatencyFigures() throws Exception {
        try (FakeRouter router = new FakeRouter()) {
            int rc = run("--url", router.url().toString(), "--rate", "100", "--duration", "1s", "--warmup", "1s");
            assertEquals(LoadGen.EXIT_OK, rc, this::output);
            assertEquals(200, router.requests.get());
            assertTrue(output().contains("sent=200 2xx=200"), output());
            assertTrue(output().contains("n=100, after 100 warmup requests)"), output());
        }
    }

    @Test
    void readsChunkedResponsesAndCountsEventsOfBatches() throws Exception {
        try (FakeRouter router = new FakeRouter().chunked()) {
            int rc = run("--url", router.url().toString(), "--rate", "50", "--duration", "2s", "--connections", "2",
                    "--payload", "structured", "--events-per-request", "10");
            assertEquals(LoadGen.EXIT_OK, rc, this::output);
            assertEquals(100, router.requests.get());
            assertEquals(1000, router.events.get());
        }
    }

    @Test
    void serverErrorsAreCountedAndFailTheRun() throws Exception {
        try (FakeRouter router = new FakeRouter().failEvery(10)) {
            int rc = run("--url", router.url().toString(), "--rate", "100", "--duration", "2s");
            assertEquals(LoadGen.EXIT_FAILED, rc, this::output);
            assertTrue(output().contains("sent=200 2xx=180 4xx=0 5xx=20"), output());
            assertTrue(output().contains("result    FAIL"), output());
        }
        try (FakeRouter router = new FakeRouter().answer(400)) {
            assertEquals(LoadGen.EXIT_FAILED, run("--url", router.url().toString(), "--rate", "10", "--duration", "1s"));
            assertTrue(output().contains("2xx=0 4xx=10"), output());
        }
    }

    @Test
    void slowAnswersCountAsTimeouts() throws Exception {
        try (FakeRouter router = new FakeRouter().delay(1_500)) {
            int rc = run("--url", router.url().toString(), "--rate", "5", "--duration", "1s", "--timeout", "300ms");
            assertEquals(LoadGen.EXIT_FAILED, rc, this::output);
            assertTrue(output().contains("sent=5 2xx=0 4xx=0 5xx=0 other=0 conn_errors=0 timeouts=5"), output());
        }
    }

    @Test
    void aDownTargetIsOneClearLine() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int rc = run("--url", "http://127.0.0.1:" + port + "/log", "--duration", "1s");
        assertEquals(LoadGen.EXIT_CANNOT_RUN, rc);
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.startsWith("loadgen: target 127.0.0.1:" + port + " is down"), e);
        assertEquals(1, e.strip().lines().count(), e);
        assertFalse(e.contains("\tat "), "no stack trace");
    }

    @Test
    void wrongFlagsAndADownDatabaseAreOneClearLine() throws Exception {
        assertEquals(LoadGen.EXIT_CANNOT_RUN, run("--rate", "x"));
        try (FakeRouter router = new FakeRouter()) {
            assertEquals(LoadGen.EXIT_CANNOT_RUN, run("--url", router.url().toString(), "--duration", "1s",
                    "--verify", "jdbc:mysql://127.0.0.1:1/logs"));
            assertEquals(0, router.requests.get(), "no load is sent when verification could not run");
        }
        List<String> lines = err.toString(StandardCharsets.UTF_8).strip().lines().toList();
        assertEquals(2, lines.size(), lines::toString);
        assertTrue(lines.get(0).startsWith("loadgen: --rate must be"), lines::toString);
        assertTrue(lines.get(1).startsWith("loadgen: MySQL: "), lines::toString);
        assertEquals(LoadGen.EXIT_OK, run("--help"));
        assertTrue(output().contains("usage: java -jar loadgen.jar"));
    }

    @Test
    void verifyPassesWhenEveryAckedEventIsStoredOnce() throws Exception {
        try (FakeRouter router = new FakeRouter().storeIn(TABLE)) {
            int rc = run(verifyArgs(router, "--payload", "ndjson", "--events-per-request", "25"));
            assertEquals(LoadGen.EXIT_OK, rc, this::output);
            assertTrue(output().contains("verify    acked=1000 present=1000 missing=0 duplicated=0 unacked_present=0"), output());
        }
    }

    @Test
    void verifyFailsOnALostOrADuplicatedEvent() throws Exception {
        try (FakeRouter router = new FakeRouter().storeIn(TABLE).drop(3L).duplicate(7L)) {
            int rc = run(verifyArgs(router, "--verify-timeout", "2s"));
            assertEquals(LoadGen.EXIT_FAILED, rc, this::output);
            assertTrue(output().contains("verify    acked=40 present=39 missing=1 duplicated=1 unacked_present=0"), output());
            assertTrue(output().contains("result    FAIL"), output());
        }
    }

    private String[] verifyArgs(FakeRouter router, String... extra) {
        List<String> args = new ArrayList<>(List.of("--url", router.url().toString(), "--rate", "20", "--duration", "2s",
                "--verify", TestDatabase.URL, "--db-user", TestDatabase.USER, "--db-password", TestDatabase.PASSWORD));
        args.addAll(Arrays.asList(extra));
        return args.toArray(String[]::new);
    }

    private int run(String... args) {
        return LoadGen.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }
}
