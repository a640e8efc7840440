package io.logrouter.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Entry point: {@code java -jar loadgen.jar --url http://HOST:PORT/log [--rate 1000] [--duration 30s]
 * [--verify JDBC_URL --db-user U --db-password P]}. Exit 0 when every request was acked and (with
 * --verify) every acked event is in MySQL exactly once; 1 when not; 2 when it could not run at all.
 */
public final class LoadGen {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_CANNOT_RUN = 2;
    // For the admin flush: connecting is local and fast; a slower connect is a failure worth reporting.
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private LoadGen() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one load test; never throws, never prints a stack trace. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            Options options = OptionsParser.parse(args);
            if (options.help()) {
                out.println(OptionsParser.USAGE);
                return EXIT_OK;
            }
            return runChecked(options, out);
        } catch (UsageException e) {
            err.println("loadgen: " + e.getMessage());
            return EXIT_CANNOT_RUN;
        } catch (SQLException e) {
            err.println("loadgen: MySQL: " + oneLine(e.getMessage()));
            return EXIT_CANNOT_RUN;
        } catch (IOException e) {
            err.println("loadgen: " + oneLine(String.valueOf(e.getMessage())));
            return EXIT_CANNOT_RUN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("loadgen: interrupted");
            return EXIT_CANNOT_RUN;
        }
    }

    private static int runChecked(Options options, PrintStream out)
            throws UsageException, SQLException, IOException, InterruptedException {
        checkVerifiable(options);
        Preflight.checkListening(options.url());
        Verifier verifier = null;
        if (options.verify()) {
            verifier = new Verifier(options.verifyJdbcUrl(), options.dbUser(), options.dbPassword(), options.verifyTable());
            verifier.checkReachable();
        }
        String runId = UUID.randomUUID().toString();
        out.printf("loadgen   run %s: %d req/s for %ss (+%ss warmup), %d connection(s) -> %s%n", runId,
                options.rate(), Durations.seconds(options.duration()), Durations.seconds(options.warmup()),
                options.connections(), options.url());
        Instant from = Instant.now();
        RunStats stats = new LoadRunner(options, new PayloadFactory(options.payload(), options.eventsPerRequest(), runId))
                .run();
        Instant to = Instant.now();
        VerifyResult verify = null;
        if (verifier != null) {
            AdminFlush.flushAll(options.flushUrls(), CONNECT_TIMEOUT, options.verifyTimeout(), out);
            verify = verifier.await(runId, stats.ackedSeqs(), from, to, options.verifyTimeout());
        }
        Report report = new Report(options, runId, stats, verify);
        out.print(report.text());
        if (options.jsonOut() != null) {
            Files.writeString(options.jsonOut(), report.json(), StandardCharsets.UTF_8);
        }
        return report.passed() ? EXIT_OK : EXIT_FAILED;
    }

    private static void checkVerifiable(Options options) throws UsageException {
        long events = options.scheduledRequests() * options.eventsPerRequest();
        // Acked seqs live in a BitSet, indexed by int.
        if (options.verify() && events > Integer.MAX_VALUE) {
            throw new UsageException("--verify tracks at most " + Integer.MAX_VALUE + " events; this run schedules "
                    + events + " (lower --rate, --duration or --events-per-request)");
        }
    }

    private static String oneLine(String message) {
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
