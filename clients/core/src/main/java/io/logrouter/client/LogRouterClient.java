package io.logrouter.client;

import io.logrouter.client.metrics.ClientCounters;
import io.logrouter.client.metrics.ClientCounters.DropReason;
import io.logrouter.client.metrics.ClientMeters;
import io.logrouter.client.metrics.ClientMBean;
import io.logrouter.client.send.Backoff;
import io.logrouter.client.send.HttpTransport;
import io.logrouter.client.send.RateLimitedWarnings;
import io.logrouter.client.send.RouterPool;
import io.logrouter.client.send.Sender;
import io.logrouter.client.send.SpillStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The client the appenders embed. The application thread captures an event with a new
 * {@link EventBuilder} and {@link #append appends} it (the builder is the {@link Event}) to a bounded
 * buffer; the background sender encodes (NDJSON, gzip), batches and sends. Usage:
 *
 * <pre>{@code
 * EventBuilder b = client.event().begin(sec, nanos, "INFO", "checkout", "paid");
 * b.attribute("order", 42);
 * client.append(b);
 * }</pre>
 */
public final class LogRouterClient implements AutoCloseable {
  /** One in this many drops before capture looks whether a drop warning is due (a power of two). */
  static final int WARNING_CHECK_EVERY = 64;
  /** Beyond the stop deadline, how long close() waits for a request already in flight. */
  private static final long CLOSE_GRACE_MS = 1000;

  private final ClientConfig config;
  private final EventBuffer buffer;
  private final ClientCounters counters = new ClientCounters();
  private final RateLimitedWarnings warnings;
  /** The drop warning of each {@link DropReason}, looked up once: dropping must stay cheap. */
  private final RateLimitedWarnings.Kind[] dropWarnings;
  private final Sender sender;
  private final List<Thread> senderThreads = new ArrayList<>();
  private final SpillStore spill;
  private final ClientMBean mbean;
  private final ClientMeters meters;
  private final Thread shutdownHook;
  private final boolean block;
  private final long bufferCapacity;
  private final long blockMaxWaitNanos;
  private volatile boolean closed;

  public LogRouterClient(ClientConfig config, StatusSink status) {
    this.config = config;
    this.buffer = new EventBuffer(config.bufferBytes());
    this.warnings = new RateLimitedWarnings(status, config.warnIntervalMs());
    this.dropWarnings = new RateLimitedWarnings.Kind[DropReason.values().length];
    for (DropReason r : DropReason.values()) {
      dropWarnings[r.ordinal()] = warnings.kind("drop-" + r.tag());
    }
    this.spill = config.spillDir() == null ? SpillStore.OFF : new SpillStore(config.spillDir(), config.spillMaxBytes());
    this.block = config.overflow() == Overflow.BLOCK;
    this.bufferCapacity = config.bufferBytes();
    this.blockMaxWaitNanos = TimeUnit.MILLISECONDS.toNanos(config.blockMaxWaitMs());
    this.sender = Sender.builder()
        .buffer(buffer).counters(counters).spill(spill).warnings(warnings)
        .pool(new RouterPool(config.urls(), config.failbackAfterMs()))
        .transport(new HttpTransport(config.connectTimeoutMs(), config.apiKey()))
        .backoff(new Backoff(config.retryInitialMs(), config.retryMaxMs()))
        .maxEvents(config.batchMaxEvents()).maxBytes(config.batchMaxBytes()).lingerMs(config.lingerMs())
        .requestTimeoutMs(config.requestTimeoutMs()).spillAfterMs(config.spillAfterMs())
        .build();
    for (int i = 1; i <= config.maxInFlight(); i++) {
      Thread t = new Thread(sender, "log-router-sender-" + config.name() + (i == 1 ? "" : "-" + i));
      t.setDaemon(true); // never keeps the JVM alive; the shutdown hook flushes instead
      senderThreads.add(t);
    }
    this.mbean = new ClientMBean(counters, buffer::bytes, spill::bytes);
    mbean.register(config.name());
    this.meters = new ClientMeters(config.name(), counters, buffer::bytes, spill::bytes);
    meters.bindToGlobalRegistryIfPresent();
    this.shutdownHook = config.shutdownHook() ? new Thread(this::close, "log-router-shutdown-" + config.name()) : null;
    if (shutdownHook != null) {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
    senderThreads.forEach(Thread::start);
  }

  public ClientConfig config() {
    return config;
  }

  /**
   * A new builder, ready for {@link EventBuilder#begin}: one per call, so an event logged while
   * another is captured on the same thread (an attribute's toString that logs) never mixes with it.
   */
  public EventBuilder event() {
    return new EventBuilder();
  }

  /**
   * Queues {@code event} (the builder is the event: do not touch it after this call); never blocks with
   * overflow=drop. False when dropped.
   */
  public boolean append(EventBuilder event) {
    if (closed) {
      counters.dropped(DropReason.SHUTDOWN, 1);
      return false;
    }
    if (buffer.offer(event)) {
      return true;
    }
    if (block && buffer.offer(event, blockMaxWaitNanos)) {
      return true;
    }
    dropped(closed ? DropReason.SHUTDOWN : block ? DropReason.BLOCK_TIMEOUT : DropReason.BUFFER_FULL);
    return false;
  }

  /**
   * With overflow=drop, whether the buffer is {@link EventBuffer#full() full}; if so the event
   * about to be logged is counted as dropped ({@code buffer_full}) and the appender skips capturing
   * it, so a full buffer (the router down) costs the application almost nothing per call: one
   * counter increment, and a clock read for the rate-limited warning only one call in
   * {@value #WARNING_CHECK_EVERY} (picked at random: no shared counter to write). The drop that
   * filled the buffer took the full path ({@link #append}), so a rare drop is never unwarned. Always
   * false with overflow=block, which waits instead.
   */
  public boolean droppedBeforeCapture() {
    if (block || !buffer.full()) {
      return false;
    }
    DropReason reason = closed ? DropReason.SHUTDOWN : DropReason.BUFFER_FULL;
    counters.dropped(reason, 1);
    if ((ThreadLocalRandom.current().nextInt() & (WARNING_CHECK_EVERY - 1)) == 0) {
      warnIfDue(reason);
    }
    return true;
  }

  private void dropped(DropReason reason) {
    counters.dropped(reason, 1);
    warnIfDue(reason);
  }

  /** The message is made only when it is written: a drop costs no string. */
  private void warnIfDue(DropReason reason) {
    RateLimitedWarnings.Kind warning = dropWarnings[reason.ordinal()];
    if (warning.dueUncounted()) {
      warning.write("buffer full (" + bufferCapacity + " bytes): dropping events (" + reason.tag() + "), "
          + counters.dropped(reason) + " dropped so far; is the router reachable?", null);
    }
  }

  /** An event whose capture failed part-way (an attribute's toString threw): discarded and counted. */
  public void abandon(EventBuilder b, RuntimeException cause) {
    counters.dropped(DropReason.ENCODING, 1);
    warnings.warn("drop-encoding", "could not capture an event (dropped)", cause);
  }

  public ClientCounters counters() {
    return counters;
  }

  /**
   * The client's Micrometer meters (on the global registry by default); move them to your own
   * registry with {@code MicrometerMeters.bindTo(client.meters(), registry)}.
   */
  public ClientMeters meters() {
    return meters;
  }

  public long bufferBytes() {
    return buffer.bytes();
  }

  /** Stops within {@code shutdownTimeoutMs}: flushes the buffer, then stops the sender threads. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    buffer.releaseWaiters(); // a producer blocked for room gives up now (counted as shutdown)
    long timeoutMs = config.shutdownTimeoutMs();
    sender.stop(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs));
    senderThreads.forEach(LockSupport::unpark);
    joinSenders(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs + config.connectTimeoutMs() + CLOSE_GRACE_MS));
    long left = sender.discardBuffered();
    if (left > 0) {
      counters.dropped(DropReason.SHUTDOWN, left);
    }
    mbean.close();
    meters.close();
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already exiting
      }
    }
  }

  /** Waits for every sender thread until {@code deadline}; then interrupts those left, briefly. */
  private void joinSenders(long deadline) {
    try {
      for (Thread t : senderThreads) {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
      for (Thread t : senderThreads) {
        if (t.isAlive()) {
          t.interrupt();
          t.join(CLOSE_GRACE_MS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean isClosed() {
    return closed;
  }
}
