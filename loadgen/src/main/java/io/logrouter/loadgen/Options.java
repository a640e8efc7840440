package io.logrouter.loadgen;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything one run needs, already validated by {@link OptionsParser}.
 *
 * @param url            where every request is POSTed
 * @param rate           requests per second, held whatever the latency (open model)
 * @param duration       how long requests are scheduled for, after the warmup
 * @param warmup         sent at the same rate before {@code duration}, counted and verified like
 *                       the rest, but left out of the latency histogram (JIT, connection setup)
 * @param connections    most requests in flight at once, so most keep-alive connections open
 * @param eventsPerRequest events in each body (a JSON array or NDJSON lines when above one)
 * @param payload        body shape
 * @param requestTimeout a request without a response by then counts as a timeout
 * @param jsonOut        where to write the report as JSON, or null
 * @param verifyJdbcUrl  MySQL to check after the run, or null for no verification
 * @param dbUser         user for {@code verifyJdbcUrl}
 * @param dbPassword     password for {@code verifyJdbcUrl}, may be empty
 * @param verifyTable    table the router writes events into
 * @param verifyTimeout  how long to wait for every acked event to reach MySQL
 * @param flushUrls      POSTed once after the run so routers flush at once instead of on their timer
 * @param help           print usage and exit
 */
record Options(
        URI url,
        int rate,
        Duration duration,
        Duration warmup,
        int connections,
        int eventsPerRequest,
        PayloadKind payload,
        Duration requestTimeout,
        Path jsonOut,
        String verifyJdbcUrl,
        String dbUser,
        String dbPassword,
        String verifyTable,
        Duration verifyTimeout,
        List<URI> flushUrls,
        boolean help) {

    Options {
        flushUrls = List.copyOf(flushUrls);
    }

    boolean verify() {
        return verifyJdbcUrl != null;
    }

    /** Requests the schedule holds, warmup included. */
    long scheduledRequests() {
        return warmupRequests() + duration.toMillis() * rate / 1000;
    }

    /** The first requests of the schedule, sent during the warmup. */
    long warmupRequests() {
        return warmup.toMillis() * rate / 1000;
    }
}
