package io.logrouter.loadgen;

import java.util.Locale;

/** The body shapes the generator can send. */
enum PayloadKind {
    /** {@code {id, unix_ts, user_id, event_name}}: what the systems being replaced send (no message). */
    SEED,
    /** {@code {timestamp, level, source, message, ...}}: the router's canonical fields. */
    STRUCTURED,
    /** Structured events, one JSON object a line, {@code Content-Type: application/x-ndjson}. */
    NDJSON;

    static PayloadKind parse(String text) throws UsageException {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--payload must be seed, structured or ndjson, not '" + text + "'");
        }
    }

    String flagName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
