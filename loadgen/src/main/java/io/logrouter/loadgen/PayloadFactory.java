package io.logrouter.loadgen;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Builds request bodies. Every event carries the run's {@code run_id} and its own {@code seq} as
 * attributes, which is what lets {@link Verifier} find each event in MySQL exactly once.
 *
 * <p>JSON is written by hand: the values are numbers, a UUID and fixed words, so there is nothing to
 * escape, and the generator must not spend its CPU on a serializer while it holds a rate.
 */
final class PayloadFactory {
    static final String JSON = "application/json";
    static final String NDJSON = "application/x-ndjson";

    private static final String[] EVENT_NAMES = {"login", "page_view", "add_to_cart", "purchase", "logout"};
    private static final String[] PATHS = {"/", "/search", "/cart", "/checkout", "/account"};
    // 10,000 distinct users: enough spread that user_id looks like real traffic in attributes.
    private static final int USERS = 10_000;
    // One event in 20 is WARN and one in 100 ERROR: a plausible mix for level-filtered queries.
    private static final int WARN_EVERY = 20;
    private static final int ERROR_EVERY = 100;
    // About 220 bytes a structured event; reserving that up front avoids regrowing the builder.
    private static final int BYTES_PER_EVENT_HINT = 256;

    private final PayloadKind kind;
    private final int eventsPerRequest;
    private final String runId;

    PayloadFactory(PayloadKind kind, int eventsPerRequest, String runId) {
        this.kind = kind;
        this.eventsPerRequest = eventsPerRequest;
        this.runId = runId;
    }

    int eventsPerRequest() {
        return eventsPerRequest;
    }

    /** The body of the request whose events start at {@code firstSeq}, stamped with {@code epochMillis}. */
    Payload build(long firstSeq, long epochMillis) {
        StringBuilder sb = new StringBuilder(eventsPerRequest * BYTES_PER_EVENT_HINT);
        if (kind == PayloadKind.NDJSON) {
            for (int i = 0; i < eventsPerRequest; i++) {
                appendStructured(sb, firstSeq + i, epochMillis).append('\n');
            }
            return new Payload(bytes(sb), NDJSON, firstSeq, eventsPerRequest);
        }
        if (eventsPerRequest == 1) {
            appendEvent(sb, firstSeq, epochMillis);
            return new Payload(bytes(sb), JSON, firstSeq, 1);
        }
        sb.append('[');
        for (int i = 0; i < eventsPerRequest; i++) {
            if (i > 0) {
                sb.append(',');
            }
            appendEvent(sb, firstSeq + i, epochMillis);
        }
        sb.append(']');
        return new Payload(bytes(sb), JSON, firstSeq, eventsPerRequest);
    }

    private void appendEvent(StringBuilder sb, long seq, long epochMillis) {
        if (kind == PayloadKind.SEED) {
            appendSeed(sb, seq, epochMillis);
        } else {
            appendStructured(sb, seq, epochMillis);
        }
    }

    /** The shape the replaced systems send: {@code {id, unix_ts, user_id, event_name}}, no message. */
    private StringBuilder appendSeed(StringBuilder sb, long seq, long epochMillis) {
        return sb.append("{\"id\":").append(seq)
                .append(",\"unix_ts\":").append(epochMillis / 1000)
                .append(",\"user_id\":").append(userId(seq))
                .append(",\"event_name\":\"").append(EVENT_NAMES[(int) (seq % EVENT_NAMES.length)])
                .append("\",\"run_id\":\"").append(runId)
                .append("\",\"seq\":").append(seq)
                .append('}');
    }

    private StringBuilder appendStructured(StringBuilder sb, long seq, long epochMillis) {
        String path = PATHS[(int) (seq % PATHS.length)];
        return sb.append("{\"timestamp\":\"").append(Instant.ofEpochMilli(epochMillis))
                .append("\",\"level\":\"").append(level(seq))
                .append("\",\"source\":\"loadgen\",\"message\":\"GET ").append(path)
                .append(" served for user ").append(userId(seq))
                .append("\",\"run_id\":\"").append(runId)
                .append("\",\"seq\":").append(seq)
                .append(",\"user_id\":").append(userId(seq))
                .append(",\"http_status\":200,\"path\":\"").append(path)
                .append("\",\"cached\":").append(seq % 2 == 0)
                .append('}');
    }

    private static long userId(long seq) {
        return 1 + seq % USERS;
    }

    private static String level(long seq) {
        if (seq % ERROR_EVERY == 0) {
            return "ERROR";
        }
        return seq % WARN_EVERY == 0 ? "WARN" : "INFO";
    }

    private static byte[] bytes(StringBuilder sb) {
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
