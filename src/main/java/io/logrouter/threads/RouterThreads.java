package io.logrouter.threads;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place the router's background threads come from (flusher, live tail, group fsync, backlog gate, key
 * reload, retention, HTTP housekeeping). Every thread gets an uncaught-exception handler that logs an
 * ERROR and counts it, and every periodic task is guarded, because a scheduled executor otherwise
 * cancels a task that throws once, silently, for good.
 */
public final class RouterThreads {
  private static final Logger LOG = LoggerFactory.getLogger(RouterThreads.class);
  private static final LongAdder FAILURES = new LongAdder();
  private static final Thread.UncaughtExceptionHandler HANDLER = (thread, error) -> {
    FAILURES.increment();
    LOG.error("thread {} died on an uncaught error", thread.getName(), error);
  };

  private RouterThreads() {}

  /** A thread that logs and counts its death. Daemon threads do not hold the JVM open. */
  public static Thread newThread(String name, Runnable task, boolean daemon) {
    Thread t = new Thread(task, name);
    t.setDaemon(daemon);
    t.setUncaughtExceptionHandler(HANDLER);
    return t;
  }

  /** A single daemon thread for periodic tasks; schedule them through {@link #guarded}. */
  public static ScheduledExecutorService scheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(r -> newThread(name, r, true));
  }

  /** Wraps a periodic task so a failure is logged and counted and the next run still happens. */
  public static Runnable guarded(String name, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (Throwable e) {
        failed(name, e);
      }
    };
  }

  /** Records a failure a supervisor caught (it restarts the work itself). */
  public static void failed(String what, Throwable error) {
    FAILURES.increment();
    LOG.error("{} failed", what, error);
  }

  /** Background failures since start: uncaught deaths, failed periodic runs, supervised restarts. */
  public static long failures() {
    return FAILURES.sum();
  }
}
