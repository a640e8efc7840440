package io.logrouter.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.BitSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs against the real local MariaDB/MySQL (see {@link TestDatabase}), never a mock of JDBC. */
class VerifierTest {
    private static final String TABLE = "logs_verifier";

    private final Verifier verifier = new Verifier(TestDatabase.URL, TestDatabase.USER, TestDatabase.PASSWORD, TABLE);
    private final Instant now = Instant.now();

    @BeforeAll
    static void createTable() throws SQLException {
        TestDatabase.recreateLogsTable(TABLE);
    }

    @Test
    void countsMissingDuplicatedAndUnackedRowsOfThisRunOnly() throws Exception {
        String run = UUID.randomUUID().toString();
        for (long seq = 0; seq < 10; seq++) {
            if (seq != 3) {
                insert(run, seq, now);
            }
        }
        insert(run, 5, now);
        insert(run, 5, now);
        insert(run, 20, now);
        String otherRun = UUID.randomUUID().toString();
        insert(otherRun, 3, now);
        insert(otherRun, 0, now);

        try (Connection c = verifier.connect()) {
            VerifyResult r = verifier.count(c, run, range(0, 10), now, now);
            assertEquals(10, r.acked());
            assertEquals(9, r.present());
            assertEquals(1, r.missing(), "seq 3 was never stored");
            assertEquals(2, r.duplicated(), "seq 5 is stored three times: two rows too many");
            assertEquals(1, r.unackedPresent(), "seq 20 was not acked but is there");
            assertFalse(r.ok());
        }
    }

    @Test
    void duplicatesOfUnackedEventsCountToo() throws Exception {
        String run = UUID.randomUUID().toString();
        insert(run, 0, now);
        insert(run, 1, now);
        insert(run, 1, now);
        try (Connection c = verifier.connect()) {
            VerifyResult r = verifier.count(c, run, range(0, 1), now, now);
            assertEquals(0, r.missing());
            assertEquals(1, r.duplicated());
            assertFalse(r.ok());
        }
    }

    @Test
    void awaitReturnsOnceLateRowsArrive() throws Exception {
        String run = UUID.randomUUID().toString();
        insert(run, 0, now);
        Thread late = new Thread(() -> {
            try {
                Thread.sleep(1_500);
                insert(run, 1, now);
                insert(run, 2, now);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        late.start();
        VerifyResult r = verifier.await(run, range(0, 3), now, now, Duration.ofSeconds(20));
        late.join();
        assertTrue(r.ok(), r::toString);
        assertEquals(3, r.present());
        assertTrue(r.waitedMillis() >= 1_000, "waited for the late rows: " + r.waitedMillis());
        assertTrue(r.waitedMillis() < 10_000, "returned soon after they arrived: " + r.waitedMillis());
    }

    @Test
    void awaitGivesUpAfterTheTimeoutAndReportsWhatIsMissing() throws Exception {
        String run = UUID.randomUUID().toString();
        insert(run, 0, now);
        long begin = System.nanoTime();
        VerifyResult r = verifier.await(run, range(0, 5), now, now, Duration.ofMillis(1_500));
        long tookMillis = (System.nanoTime() - begin) / 1_000_000;
        assertEquals(4, r.missing());
        assertTrue(tookMillis >= 1_400 && tookMillis < 5_000, "took " + tookMillis);
    }

    @Test
    void rowsOutsideTheRunsTimeWindowAreNotCounted() throws Exception {
        String run = UUID.randomUUID().toString();
        insert(run, 0, now.minus(Duration.ofDays(2)));
        try (Connection c = verifier.connect()) {
            assertEquals(1, verifier.count(c, run, range(0, 1), now, now).missing());
        }
    }

    @Test
    void aMissingTableFailsBeforeTheRun() {
        Verifier wrong = new Verifier(TestDatabase.URL, TestDatabase.USER, TestDatabase.PASSWORD, "no_such_table");
        SQLException e = assertThrows(SQLException.class, wrong::checkReachable);
        assertTrue(e.getMessage().contains("no_such_table"), e.getMessage());
    }

    @Test
    void theRealTableShapePasses() throws Exception {
        verifier.checkReachable();
    }

    private static BitSet range(int from, int to) {
        BitSet b = new BitSet();
        b.set(from, to);
        return b;
    }

    private static void insert(String run, long seq, Instant ts) throws SQLException {
        String sql = "INSERT INTO " + TABLE + " (ts, level, source, message, attributes, received_at, router_id)"
                + " VALUES (?, 'INFO', 'test', NULL, ?, ?, 'test')";
        try (Connection c = TestDatabase.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            LocalDateTime utc = LocalDateTime.ofInstant(ts, ZoneOffset.UTC);
            ps.setObject(1, utc);
            ps.setString(2, "{\"run_id\":\"" + run + "\",\"seq\":" + seq + ",\"user_id\":7}");
            ps.setObject(3, utc);
            ps.executeUpdate();
        }
    }
}
