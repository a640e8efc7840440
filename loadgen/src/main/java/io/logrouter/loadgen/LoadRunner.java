package io.logrouter.loadgen;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends requests on a fixed schedule (open model): request {@code i} is due at
 * {@code start + i / rate}, whatever happened to the requests before it. A slow server therefore
 * does not slow the schedule down; it shows up as latency, which is measured from that due time
 * (coordinated omission corrected), never from the moment the request finally left.
 *
 * <p>One scheduler thread puts each due request on a queue; {@code connections} worker threads,
 * each owning one keep-alive connection, take them in order. When every connection is busy,
 * requests wait in the queue and are charged for the wait.
 */
final class LoadRunner {
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);
    // A request picked up more than 1 ms after its due time waited for a free connection (the
    // router's latency goal is p99 < 1 ms, so such waits are worth counting separately).
    private static final long LATE_THRESHOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    // Connecting is local and fast; a slower connect is itself a failure worth reporting.
    private static final int CONNECT_TIMEOUT_MILLIS = 3_000;
    private static final Task STOP = new Task(-1, 0);

    private final Options options;
    private final PayloadFactory payloads;

    LoadRunner(Options options, PayloadFactory payloads) {
        this.options = options;
        this.payloads = payloads;
    }

    RunStats run() throws InterruptedException {
        RunStats stats = new RunStats(options.verify(), options.warmupRequests());
        BlockingQueue<Task> due = new LinkedBlockingQueue<>();
        long total = options.scheduledRequests();
        long start = System.nanoTime();
        // Requests still queued a full request timeout after the schedule ended are not sent: the
        // run has already failed by then, and sending them would only stretch it out.
        long scheduleNanos = options.warmup().plus(options.duration()).toNanos();
        long stopSendingAt = start + scheduleNanos + options.requestTimeout().toNanos();
        stats.started(start, scheduleNanos);
        Thread[] workers = startWorkers(due, stats, stopSendingAt);
        try {
            for (long i = 0; i < total; i++) {
                long dueAt = start + dueOffsetNanos(i, options.rate());
                sleepUntil(dueAt);
                due.add(new Task(i, dueAt));
            }
        } finally {
            for (int i = 0; i < workers.length; i++) {
                due.add(STOP);
            }
        }
        joinAll(workers, stopSendingAt);
        stats.finished(System.nanoTime());
        return stats;
    }

    /** {@code i / rate} seconds in nanos, split so that no run length or rate can overflow a long. */
    static long dueOffsetNanos(long i, int rate) {
        return (i / rate) * NANOS_PER_SECOND + (i % rate) * NANOS_PER_SECOND / rate;
    }

    private Thread[] startWorkers(BlockingQueue<Task> due, RunStats stats, long stopSendingAt) {
        Thread[] workers = new Thread[options.connections()];
        for (int i = 0; i < workers.length; i++) {
            Runnable worker = () -> work(due, stats, stopSendingAt);
            workers[i] = new Thread(worker, "loadgen-conn-" + i);
            // Daemon: a worker stuck on a dead socket must not keep the JVM alive after the report.
            workers[i].setDaemon(true);
            workers[i].start();
        }
        return workers;
    }

    private void work(BlockingQueue<Task> due, RunStats stats, long stopSendingAt) {
        int readTimeout = (int) Math.min(Integer.MAX_VALUE, options.requestTimeout().toMillis());
        try (HttpConnection connection = new HttpConnection(options.url(), CONNECT_TIMEOUT_MILLIS, readTimeout)) {
            for (Task task = due.take(); task != STOP; task = due.take()) {
                long now = System.nanoTime();
                if (now - stopSendingAt > 0) {
                    stats.unsent();
                    continue;
                }
                Payload payload = payloads.build(task.index() * payloads.eventsPerRequest(), System.currentTimeMillis());
                stats.sent(task.dueAt(), now, LATE_THRESHOLD_NANOS);
                try {
                    int status = connection.post(payload.contentType(), payload.body());
                    stats.response(task.index(), task.dueAt(), status, payload);
                } catch (IOException e) {
                    stats.failure(task.index(), task.dueAt(), e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void joinAll(Thread[] workers, long stopSendingAt) throws InterruptedException {
        // Past stopSendingAt each worker finishes at most the one request it is in: connect plus
        // read timeout. A worker still alive after that is abandoned (daemon) and its request unanswered.
        long deadline = stopSendingAt + TimeUnit.MILLISECONDS.toNanos(CONNECT_TIMEOUT_MILLIS)
                + options.requestTimeout().toNanos();
        for (Thread worker : workers) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(worker, left);
            }
        }
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException("load run interrupted");
            }
        }
    }

    /** Request number {@code index}, due to leave at {@code dueAt} (System.nanoTime). */
    private record Task(long index, long dueAt) {
    }
}
