package io.logrouter.loadgen;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the human durations the flags take: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}. */
final class Durations {
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private Durations() {
    }

    static Duration parse(String flag, String text) throws UsageException {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new UsageException(flag + " must look like 500ms, 30s, 2m or 1h, not '" + text + "'");
        }
        long amount = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            case "m":
                return Duration.ofMinutes(amount);
            default:
                return Duration.ofHours(amount);
        }
    }

    /** Seconds with millisecond precision, for reports. */
    static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
