package io.logrouter.flush;

import io.logrouter.buffer.Batch;
import io.logrouter.buffer.BatchSource;
import io.logrouter.event.LogEvent;
import io.logrouter.sink.BatchSink;
import io.logrouter.sink.FlushResult;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** In-memory stand-ins for the queue and the database, with faults to inject. */
final class FlusherFakes {
  private FlusherFakes() {}

  /** Documents 0..n-1 of one event each, 100 bytes each; index = position. */
  static final class Source implements BatchSource {
    final List<String> documents = new ArrayList<>();
    final AtomicInteger throwOnCall = new AtomicInteger(-1);
    final AtomicInteger calls = new AtomicInteger();
    private int cursor;

    synchronized void add(int count) {
      for (int i = 0; i < count; i++) {
        documents.add("event " + documents.size());
      }
    }

    synchronized int size() {
      return documents.size();
    }

    /** Index of the next document to be read. */
    synchronized int cursor() {
      return cursor;
    }

    @Override
    public synchronized void resumeAfter(long committedIndex) {
      cursor = (int) (committedIndex + 1);
    }

    @Override
    public synchronized Batch next(long maxBytes) {
      if (calls.incrementAndGet() == throwOnCall.get()) {
        throw new IllegalStateException("injected: a decoding bug");
      }
      Batch b = new Batch();
      while (cursor < documents.size() && b.bytes() < maxBytes) {
        b.events().add(new LogEvent(cursor, 0, 1, "INFO", "fake", documents.get(cursor), "{}"));
        b.addDocument(cursor, 100);
        cursor++;
      }
      return b;
    }

    @Override
    public void release(long committedIndex) {}

    @Override
    public synchronized long lastIndex() {
      return documents.size() - 1;
    }

    @Override
    public synchronized long documentsAfter(long committedIndex) {
      return documents.size() - 1 - committedIndex;
    }

    @Override
    public Backlog measure(long committedIndex, long upToIndex) {
      return new Backlog(upToIndex - committedIndex, upToIndex - committedIndex, 100 * (upToIndex - committedIndex), 0);
    }

    @Override
    public void close() {}
  }

  /** Keeps committed messages and the offset; can hang or throw once. */
  static final class Sink implements BatchSink {
    final List<String> rows = new ArrayList<>();
    /** Each commit's batch: first index, last index, queue bytes. */
    final List<long[]> commits = new java.util.concurrent.CopyOnWriteArrayList<>();
    final AtomicLong committed = new AtomicLong(-1);
    final AtomicReference<CountDownLatch> hang = new AtomicReference<>();
    final AtomicReference<RuntimeException> throwOnce = new AtomicReference<>();

    @Override
    public void ensureSchema() {}

    @Override
    public long committedIndex() {
      return committed.get();
    }

    @Override
    public FlushResult write(Batch batch) throws SQLException {
      CountDownLatch latch = hang.get();
      if (latch != null) {
        try {
          latch.await();
        } catch (InterruptedException e) {
          throw new SQLException(e);
        }
      }
      RuntimeException fault = throwOnce.getAndSet(null);
      if (fault != null) {
        throw fault;
      }
      synchronized (rows) {
        batch.events().forEach(e -> rows.add(e.message()));
      }
      committed.set(batch.lastIndex());
      commits.add(new long[] {batch.firstIndex(), batch.lastIndex(), batch.bytes()});
      return new FlushResult(batch.events().size(), 0);
    }

    List<String> rows() {
      synchronized (rows) {
        return List.copyOf(rows);
      }
    }
  }
}
