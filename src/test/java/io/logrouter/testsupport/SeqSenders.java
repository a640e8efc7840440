package io.logrouter.testsupport;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Concurrent senders for reliability tests: each request carries 1-N events with unique sequence
 * numbers; a seq counts as acked only when its request got 202. Failures (refused connections
 * while the router is down, 503s) are counted, never retried: an un-acked seq may or may not
 * reach MySQL, but never twice.
 */
public final class SeqSenders implements AutoCloseable {
  private final String url;
  private final int maxEventsPerRequest;
  private final AtomicLong nextSeq = new AtomicLong();
  private final BitSet acked = new BitSet();
  private final LongAdder failures = new LongAdder();
  private final ConcurrentHashMap<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private final java.util.concurrent.ConcurrentLinkedQueue<String> errors = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private volatile boolean running = true;

  /** Senders of 1-5 events per request. */
  public SeqSenders(String url, int threadCount) {
    this(url, threadCount, 5);
  }

  /** @param maxEventsPerRequest each request carries 1 to this many events, evenly drawn */
  public SeqSenders(String url, int threadCount, int maxEventsPerRequest) {
    if (maxEventsPerRequest < 1) {
      throw new IllegalArgumentException("maxEventsPerRequest must be >= 1: " + maxEventsPerRequest);
    }
    this.url = url;
    this.maxEventsPerRequest = maxEventsPerRequest;
    for (int i = 0; i < threadCount; i++) {
      Thread t = new Thread(this::sendLoop, "seq-sender-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void sendLoop() {
    while (running) {
      int n = 1 + ThreadLocalRandom.current().nextInt(maxEventsPerRequest);
      long first = nextSeq.getAndAdd(n);
      StringBuilder body = new StringBuilder("[");
      for (int i = 0; i < n; i++) {
        body.append(i == 0 ? "" : ",").append("{\"message\":\"seq event\",\"seq\":").append(first + i).append('}');
      }
      body.append(']');
      try {
        TestHttp.Response r = TestHttp.postJson(url, body.toString());
        statuses.computeIfAbsent(r.statusCode(), k -> new LongAdder()).increment();
        if (r.statusCode() == 202) {
          synchronized (acked) {
            acked.set((int) first, (int) (first + n));
          }
        } else {
          failures.increment();
          errors.add("HTTP " + r.statusCode());
        }
      } catch (Exception e) {
        failures.increment();
        errors.add(e.toString());
        pause();
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public BitSet acked() {
    synchronized (acked) {
      return (BitSet) acked.clone();
    }
  }

  public long failures() {
    return failures.sum();
  }

  /** What the failures were (status or exception), for assertion messages. */
  public List<String> errors() {
    return List.copyOf(errors);
  }

  public long count(int status) {
    LongAdder a = statuses.get(status);
    return a == null ? 0 : a.sum();
  }

  public long sent() {
    return nextSeq.get();
  }

  @Override
  public void close() {
    running = false;
    for (Thread t : threads) {
      try {
        t.join(15_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
