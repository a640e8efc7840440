package io.logrouter.loadgen;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/** Formats a finished run for people (a few aligned lines) and for scripts (one JSON object). */
final class Report {
    private static final double[] PERCENTILES = {50, 90, 99, 99.9};
    private static final String[] PERCENTILE_NAMES = {"p50", "p90", "p99", "p99_9"};

    private final Options options;
    private final String runId;
    private final RunStats stats;
    private final Histogram latency;
    private final VerifyResult verify;

    /** {@code verify} is null when the run did not verify. */
    Report(Options options, String runId, RunStats stats, VerifyResult verify) {
        this.options = options;
        this.runId = runId;
        this.stats = stats;
        this.latency = stats.latencySnapshot();
        this.verify = verify;
    }

    boolean passed() {
        return stats.failed() == 0 && (verify == null || verify.ok());
    }

    String text() {
        StringBuilder sb = new StringBuilder();
        line(sb, "run", "%s %s x%d event(s)/request -> %s", runId, options.payload().flagName(),
                options.eventsPerRequest(), options.url());
        line(sb, "requests", "sent=%d 2xx=%d 4xx=%d 5xx=%d other=%d conn_errors=%d timeouts=%d unsent=%d",
                stats.sent(), stats.ok(), stats.clientErrors(), stats.serverErrors(), stats.otherStatus(),
                stats.connectionErrors(), stats.timeouts(), stats.unsentCount());
        if (stats.firstError() != null) {
            line(sb, "error", "first: %s", stats.firstError());
        }
        line(sb, "rate", "target=%d/s sent=%.1f/s acked=%.1f/s events_acked=%.1f/s", options.rate(),
                stats.sent() / stats.sendSeconds(), stats.ok() / stats.totalSeconds(),
                stats.ackedEvents() / stats.totalSeconds());
        line(sb, "latency", "p50=%s p90=%s p99=%s p99.9=%s max=%s (ms from intended send time, n=%d%s)",
                ms(percentile(50)), ms(percentile(90)), ms(percentile(99)), ms(percentile(99.9)),
                ms(latency.getMaxValue()), latency.getTotalCount(),
                options.warmupRequests() > 0 ? ", after " + options.warmupRequests() + " warmup requests" : "");
        line(sb, "p99/10s", "%s (ms, by 10 s of the run from its start, warm-up included)", windowP99(" "));
        line(sb, "schedule", "max_wait_for_connection=%sms late_sends(>1ms)=%d", ms(stats.maxSendLagNanos() / 1000),
                stats.lateSends());
        if (verify != null) {
            line(sb, "verify", "acked=%d present=%d missing=%d duplicated=%d unacked_present=%d (waited %.1fs)",
                    verify.acked(), verify.present(), verify.missing(), verify.duplicated(),
                    verify.unackedPresent(), verify.waitedMillis() / 1000.0);
        }
        line(sb, "result", passed() ? "PASS" : "FAIL");
        return sb.toString();
    }

    String json() {
        StringBuilder sb = new StringBuilder("{");
        sb.append("\"run_id\":\"").append(runId).append('"')
                .append(",\"url\":\"").append(escape(options.url().toString())).append('"')
                .append(",\"payload\":\"").append(options.payload().flagName()).append('"')
                .append(",\"events_per_request\":").append(options.eventsPerRequest())
                .append(",\"connections\":").append(options.connections())
                .append(",\"duration_s\":").append(Durations.seconds(options.duration()))
                .append(",\"warmup_s\":").append(Durations.seconds(options.warmup()))
                .append(",\"target_rate\":").append(options.rate())
                .append(",\"sent_rate\":").append(num(stats.sent() / stats.sendSeconds()))
                .append(",\"acked_rate\":").append(num(stats.ok() / stats.totalSeconds()))
                .append(",\"events_acked_rate\":").append(num(stats.ackedEvents() / stats.totalSeconds()))
                .append(",\"requests\":{\"sent\":").append(stats.sent())
                .append(",\"2xx\":").append(stats.ok())
                .append(",\"4xx\":").append(stats.clientErrors())
                .append(",\"5xx\":").append(stats.serverErrors())
                .append(",\"other\":").append(stats.otherStatus())
                .append(",\"connection_errors\":").append(stats.connectionErrors())
                .append(",\"timeouts\":").append(stats.timeouts())
                .append(",\"unsent\":").append(stats.unsentCount()).append('}')
                .append(",\"latency_ms\":{");
        for (int i = 0; i < PERCENTILES.length; i++) {
            sb.append('"').append(PERCENTILE_NAMES[i]).append("\":").append(ms(percentile(PERCENTILES[i]))).append(',');
        }
        sb.append("\"max\":").append(ms(latency.getMaxValue()))
                .append(",\"mean\":").append(num(latency.getMean() / 1000.0))
                .append(",\"count\":").append(latency.getTotalCount())
                .append(",\"p99_by_10s\":[").append(windowP99(",")).append("]}")
                .append(",\"max_send_lag_ms\":").append(ms(stats.maxSendLagNanos() / 1000))
                .append(",\"late_sends\":").append(stats.lateSends());
        if (verify != null) {
            sb.append(",\"verify\":{\"acked\":").append(verify.acked())
                    .append(",\"present\":").append(verify.present())
                    .append(",\"missing\":").append(verify.missing())
                    .append(",\"duplicated\":").append(verify.duplicated())
                    .append(",\"unacked_present\":").append(verify.unackedPresent())
                    .append(",\"waited_ms\":").append(verify.waitedMillis()).append('}');
        }
        return sb.append(",\"passed\":").append(passed()).append("}\n").toString();
    }

    private String windowP99(String separator) {
        StringBuilder sb = new StringBuilder();
        for (long p99 : stats.windowP99Micros()) {
            sb.append(sb.length() == 0 ? "" : separator).append(p99 < 0 ? "null" : ms(p99));
        }
        return sb.toString();
    }

    private long percentile(double p) {
        return latency.getValueAtPercentile(p);
    }

    private static void line(StringBuilder sb, String label, String format, Object... args) {
        sb.append(String.format(Locale.ROOT, "%-9s ", label)).append(String.format(Locale.ROOT, format, args))
                .append(System.lineSeparator());
    }

    /** Microseconds as milliseconds with microsecond precision. */
    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
