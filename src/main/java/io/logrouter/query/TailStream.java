package io.logrouter.query;

import io.logrouter.buffer.LiveTail;
import io.logrouter.event.LogEvent;
import io.undertow.server.handlers.sse.ServerSentEventConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One live-tail stream: filters the events the {@link LiveTail} hands over and sends the matching
 * ones as Server-Sent Events ({@code event: log}), at most {@code maxPerSecond}. What is over the
 * rate, or what a client that does not read leaves queued, is dropped and counted: the next second
 * starts with {@code event: dropped} and {@code {"dropped":N,"total":T}}. A client that has not read
 * for {@link #STALLED_NANOS} is disconnected. Runs on the tail thread; sends never block it.
 */
final class TailStream implements LiveTail.Subscriber {
  /** Sends queued in Undertow and not yet written: beyond this the client is not keeping up. */
  static final int MAX_PENDING = 1_000;
  /** A client that leaves MAX_PENDING sends unread this long is gone or stuck: its stream ends. */
  static final long STALLED_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final ServerSentEventConnection connection;
  private final Predicate<TailEvent> filter;
  private final int maxPerSecond;
  private final AtomicInteger pending = new AtomicInteger();
  private final ServerSentEventConnection.EventCallback sent = new ServerSentEventConnection.EventCallback() {
    @Override
    public void done(ServerSentEventConnection c, String data, String event, String id) {
      pending.decrementAndGet();
    }

    @Override
    public void failed(ServerSentEventConnection c, String data, String event, String id, IOException e) {
      pending.decrementAndGet();
    }
  };
  private long windowStart = System.nanoTime();
  private int sentInWindow;
  private long dropped;
  private long droppedTotal;
  private long stalledSince = -1;

  TailStream(ServerSentEventConnection connection, Predicate<TailEvent> filter, int maxPerSecond) {
    this.connection = connection;
    this.filter = filter;
    this.maxPerSecond = maxPerSecond;
  }

  @Override
  public void accept(List<LogEvent> events) {
    for (LogEvent e : events) {
      TailEvent event = new TailEvent(e);
      if (!filter.test(event)) {
        continue;
      }
      if (sentInWindow < maxPerSecond && pending.get() < MAX_PENDING) {
        sentInWindow++;
        send("log", new String(LogJson.tailEvent(event), StandardCharsets.UTF_8));
      } else {
        dropped++;
      }
    }
  }

  @Override
  public void tick(long now) {
    if (now - windowStart >= SECOND) {
      windowStart = now;
      sentInWindow = 0;
      if (dropped > 0) {
        droppedTotal += dropped;
        send("dropped", "{\"dropped\":" + dropped + ",\"total\":" + droppedTotal + "}");
        dropped = 0;
      }
    }
    if (pending.get() < MAX_PENDING) {
      stalledSince = -1;
    } else if (stalledSince < 0) {
      stalledSince = now;
    } else if (now - stalledSince > STALLED_NANOS) {
      end("the client did not read for " + TimeUnit.NANOSECONDS.toSeconds(STALLED_NANOS) + " s");
    }
  }

  @Override
  public void close() {
    end("the router is stopping");
  }

  /** Says why in a last event ({@code event: end}), then closes once it is written. */
  void end(String reason) {
    if (connection.isOpen()) {
      send("end", "{\"reason\":\"" + reason + "\"}");
      connection.shutdown();
    }
  }

  private void send(String event, String data) {
    pending.incrementAndGet();
    connection.send(data, event, null, sent);
  }
}
