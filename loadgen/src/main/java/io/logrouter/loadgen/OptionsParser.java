package io.logrouter.loadgen;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns {@code --flag value} and {@code --flag=value} arguments into {@link Options}. */
final class OptionsParser {
    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar loadgen.jar --url http://HOST:PORT/log [flags]",
            "  --rate N                requests per second, constant, open model (default 1000)",
            "  --duration D            how long to send, e.g. 30s, 2m (default 30s)",
            "  --warmup D              send at the rate for D first, left out of the latency figures (default 0s)",
            "  --connections N         most requests in flight = keep-alive connections (default 32)",
            "  --events-per-request N  events in each request body (default 1)",
            "  --payload KIND          seed | structured | ndjson (default seed)",
            "  --timeout D             per-request timeout (default 10s)",
            "  --json-out FILE         also write the report as JSON",
            "  --verify JDBC_URL       after the run, check MySQL: every acked event present exactly once",
            "  --db-user U             user for --verify (default root)",
            "  --db-password P         password for --verify (default empty)",
            "  --verify-table T        table holding the events (default logs)",
            "  --verify-timeout D      how long to wait for acked events to reach MySQL (default 90s)",
            "  --flush-url URL         POSTed after the run to flush at once; repeat it for each router",
            "  --help                  this text");

    // 1000 req/s is the load the user's own test service sends.
    private static final int DEFAULT_RATE = 1000;
    // 1,000,000 req/s is far past what one JVM client on this class of machine can send; a larger
    // figure is a typo, and capping it keeps the schedule arithmetic far from overflow.
    private static final int MAX_RATE = 1_000_000;
    // Little's law: 1000 req/s x 32 in flight holds the rate up to 32 ms of latency per request.
    private static final int DEFAULT_CONNECTIONS = 32;
    // One thread per connection: past ~1,000 threads the client's own scheduling on two cores,
    // not the router, becomes what is measured.
    private static final int MAX_CONNECTIONS = 1_000;
    // The NDJSON benchmark sends 1,000 events a request; 100,000 leaves room and bounds a body
    // (about 200 bytes an event) at ~20 MB, inside the router's body limits' order of magnitude.
    private static final int MAX_EVENTS_PER_REQUEST = 100_000;

    private OptionsParser() {
    }

    static Options parse(String... args) throws UsageException {
        Builder b = new Builder();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "' (flags start with --; see --help)");
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (name.equals("--help") || name.equals("-h")) {
                b.help = true;
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(name + " needs a value");
                }
                value = args[++i];
            }
            b.set(name, value);
        }
        return b.build();
    }

    /** Mutable while parsing; {@link #build()} checks the combination and freezes it. */
    private static final class Builder {
        URI url;
        int rate = DEFAULT_RATE;
        Duration duration = Duration.ofSeconds(30);
        Duration warmup = Duration.ZERO;
        int connections = DEFAULT_CONNECTIONS;
        int eventsPerRequest = 1;
        PayloadKind payload = PayloadKind.SEED;
        // 10 s: far above any healthy ack (the router answers after an append to local disk), short
        // enough that a hung router fails the run instead of stalling it.
        Duration requestTimeout = Duration.ofSeconds(10);
        Path jsonOut;
        String verifyJdbcUrl;
        String dbUser = "root";
        String dbPassword = "";
        String verifyTable = "logs";
        // 90 s: three of the router's default 30 s flush intervals.
        Duration verifyTimeout = Duration.ofSeconds(90);
        final List<URI> flushUrls = new ArrayList<>();
        boolean help;

        void set(String name, String value) throws UsageException {
            switch (name) {
                case "--url" -> url = httpUri(name, value);
                case "--rate" -> rate = intIn(name, value, 1, MAX_RATE);
                case "--duration" -> duration = positive(name, Durations.parse(name, value));
                case "--warmup" -> warmup = Durations.parse(name, value);
                case "--connections" -> connections = intIn(name, value, 1, MAX_CONNECTIONS);
                case "--events-per-request" -> eventsPerRequest = intIn(name, value, 1, MAX_EVENTS_PER_REQUEST);
                case "--payload" -> payload = PayloadKind.parse(value);
                case "--timeout" -> requestTimeout = positive(name, Durations.parse(name, value));
                case "--json-out" -> jsonOut = Path.of(value);
                case "--verify" -> verifyJdbcUrl = jdbcUrl(value);
                case "--db-user" -> dbUser = value;
                case "--db-password" -> dbPassword = value;
                case "--verify-table" -> verifyTable = tableName(value);
                case "--verify-timeout" -> verifyTimeout = positive(name, Durations.parse(name, value));
                case "--flush-url" -> flushUrls.add(httpUri(name, value));
                default -> throw new UsageException("unknown flag " + name + " (see --help)");
            }
        }

        Options build() throws UsageException {
            if (help) {
                return new Options(url, rate, duration, warmup, connections, eventsPerRequest, payload, requestTimeout,
                        jsonOut, verifyJdbcUrl, dbUser, dbPassword, verifyTable, verifyTimeout, flushUrls, true);
            }
            if (url == null) {
                throw new UsageException("--url is required, e.g. --url http://127.0.0.1:8080/log");
            }
            if (duration.toMillis() * rate / 1000 < 1) {
                throw new UsageException("--rate " + rate + " over --duration " + duration.toMillis()
                        + "ms schedules no request at all");
            }
            if (verifyJdbcUrl == null && !flushUrls.isEmpty()) {
                throw new UsageException("--flush-url only makes sense with --verify");
            }
            return new Options(url, rate, duration, warmup, connections, eventsPerRequest, payload, requestTimeout,
                    jsonOut, verifyJdbcUrl, dbUser, dbPassword, verifyTable, verifyTimeout, flushUrls, false);
        }
    }

    private static int intIn(String name, String value, int min, int max) throws UsageException {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // Falls through to the same message as an out-of-range number.
        }
        throw new UsageException(name + " must be a whole number from " + min + " to " + max + ", not '" + value + "'");
    }

    private static Duration positive(String name, Duration d) throws UsageException {
        if (d.isZero()) {
            throw new UsageException(name + " must be more than zero");
        }
        return d;
    }

    private static URI httpUri(String name, String value) throws UsageException {
        try {
            URI uri = new URI(value.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException ignored) {
            // Falls through to the same message as a non-HTTP URL.
        }
        throw new UsageException(name + " must be an http:// or https:// URL with a host, not '" + value + "'");
    }

    private static String jdbcUrl(String value) throws UsageException {
        if (!value.startsWith("jdbc:mysql://") && !value.startsWith("jdbc:mariadb://")) {
            throw new UsageException("--verify must be a JDBC URL like jdbc:mysql://127.0.0.1:3306/logs, not '" + value + "'");
        }
        // Connector/J only registers jdbc:mysql:; a MariaDB-style URL talks the same protocol.
        return value.replaceFirst("^jdbc:mariadb:", "jdbc:mysql:");
    }

    private static String tableName(String value) throws UsageException {
        // The name is spliced into SQL (a table cannot be a bound parameter), so only plain identifiers.
        if (!value.matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) {
            throw new UsageException("--verify-table must be a plain table name, not '" + value + "'");
        }
        return value;
    }
}
