package io.logrouter.loadgen;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What happened to the requests of one run. Completion callbacks of many client threads write here
 * at once, so every counter is a {@link LongAdder} and the histogram is a concurrent one.
 */
final class RunStats {
    // Latency is kept in microseconds: the goals are stated in fractions of a millisecond, and one
    // hour bounds any latency a run can see (requests time out far sooner), at 3 significant digits.
    private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);
    private static final int SIGNIFICANT_DIGITS = 3;

    /** The span of one window of {@link #windowP99Micros}: how the tail moves over a run (the JIT's warm-up shows). */
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** An hour of windows; a longer run's later requests all count in the last one. */
    private static final int MAX_WINDOWS = 360;

    private final ConcurrentHistogram latencyMicros = new ConcurrentHistogram(HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    /** The measured requests again, by the window of the run their due time falls in (created on first use). */
    private final AtomicReferenceArray<ConcurrentHistogram> windows = new AtomicReferenceArray<>(MAX_WINDOWS);
    private final LongAdder sent = new LongAdder();
    private final LongAdder ok = new LongAdder();
    private final LongAdder clientErrors = new LongAdder();
    private final LongAdder serverErrors = new LongAdder();
    private final LongAdder otherStatus = new LongAdder();
    private final LongAdder connectionErrors = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder unsent = new LongAdder();
    private final LongAdder lateSends = new LongAdder();
    private final AtomicLong lastSendNanos = new AtomicLong();
    private final AtomicLong maxSendLagNanos = new AtomicLong();
    private final LongAdder ackedEvents = new LongAdder();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    /** Seqs of events in a 2xx-answered request; null when nothing needs them (no verify). */
    private final BitSet acked;

    private volatile long startNanos;
    private volatile long scheduleNanos;
    private volatile long endNanos;

    /** Requests with a lower index are warmup: counted, but kept out of the latency histogram. */
    private final long firstMeasuredIndex;

    RunStats(boolean trackAckedSeqs, long firstMeasuredIndex) {
        this.acked = trackAckedSeqs ? new BitSet() : null;
        this.firstMeasuredIndex = firstMeasuredIndex;
    }

    void started(long nanos, long scheduleNanos) {
        this.startNanos = nanos;
        this.scheduleNanos = scheduleNanos;
    }

    /** A request leaves {@code actualNanos - intendedNanos} after its due time. */
    void sent(long intendedNanos, long actualNanos, long lateThresholdNanos) {
        sent.increment();
        lastSendNanos.accumulateAndGet(actualNanos, Math::max);
        long lag = actualNanos - intendedNanos;
        maxSendLagNanos.accumulateAndGet(lag, Math::max);
        if (lag > lateThresholdNanos) {
            lateSends.increment();
        }
    }

    /** A due request that was never sent: it was still queued when the run gave up on the server. */
    void unsent() {
        unsent.increment();
    }

    void finished(long nanos) {
        endNanos = nanos;
    }

    /** Records one response: latency from the intended send time, so a stall is never hidden. */
    void response(long index, long intendedNanos, int status, Payload payload) {
        recordLatency(index, intendedNanos);
        if (status >= 200 && status < 300) {
            ok.increment();
            ackedEvents.add(payload.events());
            markAcked(payload);
        } else if (status >= 400 && status < 500) {
            clientErrors.increment();
        } else if (status >= 500 && status < 600) {
            serverErrors.increment();
        } else {
            otherStatus.increment();
        }
    }

    /** Records a request that got no HTTP answer. Its latency counts too: the wait was real. */
    void failure(long index, long intendedNanos, Throwable error) {
        recordLatency(index, intendedNanos);
        if (error instanceof SocketTimeoutException && !"Connect timed out".equalsIgnoreCase(error.getMessage())) {
            timeouts.increment();
        } else {
            // Refused, reset, closed mid-response, connect timeout: the connection failed us.
            connectionErrors.increment();
        }
        firstError.compareAndSet(null, describe(error));
    }

    private void recordLatency(long index, long intendedNanos) {
        if (index < firstMeasuredIndex) {
            return;
        }
        long micros = Math.min(HIGHEST_MICROS, Math.max(0, (System.nanoTime() - intendedNanos) / 1000));
        latencyMicros.recordValue(micros);
        int w = (int) Math.min(MAX_WINDOWS - 1, Math.max(0, intendedNanos - startNanos) / WINDOW_NANOS);
        ConcurrentHistogram window = windows.get(w);
        if (window == null) {
            windows.compareAndSet(w, null, new ConcurrentHistogram(HIGHEST_MICROS, SIGNIFICANT_DIGITS));
            window = windows.get(w);
        }
        window.recordValue(micros);
    }

    /**
     * p99 in microseconds of the measured requests due in each {@link #WINDOW_NANOS} of the run, counted from
     * its start (warm-up included); -1 for a window without measured requests.
     */
    long[] windowP99Micros() {
        int last = -1;
        for (int i = 0; i < MAX_WINDOWS; i++) {
            if (windows.get(i) != null) {
                last = i;
            }
        }
        long[] p99 = new long[last + 1];
        for (int i = 0; i <= last; i++) {
            ConcurrentHistogram h = windows.get(i);
            p99[i] = h == null ? -1 : h.copy().getValueAtPercentile(99);
        }
        return p99;
    }

    private void markAcked(Payload payload) {
        if (acked == null) {
            return;
        }
        synchronized (acked) {
            acked.set((int) payload.firstSeq(), (int) payload.firstSeq() + payload.events());
        }
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        if (t instanceof ConnectException) {
            return "connection refused or unreachable" + (message == null ? "" : " (" + message + ")");
        }
        String type = t instanceof IOException ? "I/O error" : t.getClass().getSimpleName();
        return message == null ? type : type + ": " + message;
    }

    Histogram latencySnapshot() {
        return latencyMicros.copy();
    }

    BitSet ackedSeqs() {
        if (acked == null) {
            return new BitSet();
        }
        synchronized (acked) {
            return (BitSet) acked.clone();
        }
    }

    long sent() { return sent.sum(); }
    long ok() { return ok.sum(); }
    long clientErrors() { return clientErrors.sum(); }
    long serverErrors() { return serverErrors.sum(); }
    long otherStatus() { return otherStatus.sum(); }
    long connectionErrors() { return connectionErrors.sum(); }
    long timeouts() { return timeouts.sum(); }
    long ackedEvents() { return ackedEvents.sum(); }
    String firstError() { return firstError.get(); }
    long unsentCount() { return unsent.sum(); }
    long maxSendLagNanos() { return maxSendLagNanos.get(); }
    long lateSends() { return lateSends.sum(); }

    long failed() {
        return clientErrors() + serverErrors() + otherStatus() + connectionErrors() + timeouts() + unsentCount();
    }

    /**
     * The window the rate was held over: the schedule's length, or longer when the generator fell
     * behind and sent its last request late (which then shows as a lower achieved rate).
     */
    double sendSeconds() {
        return Math.max(scheduleNanos, lastSendNanos.get() - startNanos) / 1e9;
    }

    /** Seconds from the first intended send until the last response arrived. */
    double totalSeconds() {
        return Math.max(1, endNanos - startNanos) / 1e9;
    }
}
