package io.logrouter.loadgen;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.BitSet;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Checks that every acked event of a run is in MySQL exactly once. Events are found by the
 * {@code run_id} and {@code seq} attributes {@link PayloadFactory} put in each of them.
 */
final class Verifier {
    // One poll a second: each is one indexed range scan over the run's rows, cheap next to a flush.
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    // The events' ts comes from the generator's own clock, so the run's rows sit inside its send
    // window; an hour of slack on each side keeps the logs_ts index usable (rather than scanning
    // every run ever stored) while tolerating any clock or rounding oddity short of a time-zone bug.
    private static final Duration TS_SLACK = Duration.ofHours(1);
    // Fail a dead MySQL in 5 s; allow 5 minutes for the grouped query of a very large run.
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int SOCKET_TIMEOUT_MS = 300_000;

    private final String jdbcUrl;
    private final Properties connectionProperties = new Properties();
    private final String countSql;
    private final String probeSql;

    Verifier(String jdbcUrl, String user, String password, String table) {
        this.jdbcUrl = jdbcUrl;
        connectionProperties.setProperty("user", user);
        connectionProperties.setProperty("password", password);
        connectionProperties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_MS));
        connectionProperties.setProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_MS));
        // JSON_UNQUOTE(JSON_EXTRACT(..)) rather than JSON_VALUE: it reads the same on MySQL 8 (JSON
        // type) and MariaDB (JSON as checked LONGTEXT). `table` is a checked plain identifier.
        this.countSql = "SELECT CAST(JSON_UNQUOTE(JSON_EXTRACT(attributes, '$.seq')) AS UNSIGNED) AS seq, COUNT(*) AS n"
                + " FROM " + table
                + " WHERE ts >= ? AND ts <= ? AND JSON_UNQUOTE(JSON_EXTRACT(attributes, '$.run_id')) = ?"
                + " GROUP BY seq";
        // Touches every column the count reads, so a wrong table or schema fails here, before the run.
        this.probeSql = "SELECT ts, attributes FROM " + table + " WHERE 1 = 0";
    }

    /** Fails fast, before any load is sent, when MySQL or the table is not there. */
    void checkReachable() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.setQueryTimeout(CONNECT_TIMEOUT_MS / 1000);
            s.executeQuery(probeSql).close();
        }
    }

    /**
     * Polls until every acked event is present or {@code timeout} has passed, then returns the last
     * count. Duplicates do not end the wait early: a missing event is the worse news to report.
     */
    VerifyResult await(String runId, BitSet acked, Instant from, Instant to, Duration timeout)
            throws SQLException, InterruptedException {
        long begin = System.nanoTime();
        long deadline = begin + timeout.toNanos();
        try (Connection c = connect()) {
            while (true) {
                VerifyResult r = count(c, runId, acked, from, to);
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
                if (r.missing() == 0 || System.nanoTime() >= deadline) {
                    return r.withWaited(waited);
                }
                Thread.sleep(Math.min(POLL_INTERVAL.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            }
        }
    }

    /** One count of the run's rows against the acked seqs. */
    VerifyResult count(Connection c, String runId, BitSet acked, Instant from, Instant to) throws SQLException {
        long present = 0;
        long duplicated = 0;
        long unackedPresent = 0;
        try (PreparedStatement ps = c.prepareStatement(countSql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            // Connector/J streams rows one by one at this fetch size, so a run of millions of events
            // does not have to fit the result in memory at once.
            ps.setFetchSize(Integer.MIN_VALUE);
            ps.setObject(1, LocalDateTime.ofInstant(from.minus(TS_SLACK), ZoneOffset.UTC));
            ps.setObject(2, LocalDateTime.ofInstant(to.plus(TS_SLACK), ZoneOffset.UTC));
            ps.setString(3, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    long rows = rs.getLong(2);
                    duplicated += rows - 1;
                    if (seq <= Integer.MAX_VALUE && acked.get((int) seq)) {
                        present++;
                    } else {
                        unackedPresent++;
                    }
                }
            }
        }
        long ackedCount = acked.cardinality();
        return new VerifyResult(ackedCount, present, ackedCount - present, duplicated, unackedPresent, 0);
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, connectionProperties);
    }
}
