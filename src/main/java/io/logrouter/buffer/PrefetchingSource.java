package io.logrouter.buffer;

import io.logrouter.threads.RouterThreads;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

/**
 * Reads the next flush's documents while the current one is loading: a thread of its own ("queue
 * prefetch") reads the source in chunks and keeps up to {@code aheadBytes} of them ready, so when a
 * commit returns, the next batch is already copied out of the queue and checked. Batches still
 * leave in queue order, one flush at a time: only the reading moves off the flusher's thread.
 *
 * <p>Memory: at most {@code aheadBytes} plus one chunk of documents wait here, besides the batch
 * being flushed. A flush may exceed {@code maxBytes} by at most one chunk (an eighth of it, 1 MB at
 * most), as the reader itself may by one document.
 *
 * <p>Thread ownership: the prefetch thread is the only one that touches the source's read position
 * ({@link #resumeAfter}, {@link #next} and {@link #close} are handed to it: Chronicle tailers are
 * single-threaded); the flusher thread calls this class. {@link #release}, {@link #lastIndex},
 * {@link #documentsAfter} and {@link #measure} do not use the read position and pass straight through.
 */
public final class PrefetchingSource implements BatchSource {
  private static final long IDLE_WAIT_MILLIS = 2;
  /** The longest wait of an idle prefetch thread: {@link #next} wakes it at once when documents are wanted. */
  private static final long MAX_IDLE_WAIT_MILLIS = 32;
  private static final long MAX_CHUNK_BYTES = 1L << 20;

  private final BatchSource source;
  private final long chunkBytes;
  private final long aheadBytes;
  /** True for a read too small to look again soon after: the flusher's rule ({@code FlushPolicy.trickle}). */
  private final LongPredicate trickle;
  private final Thread thread;
  private final Object lock = new Object();
  // Guarded by lock.
  private final ArrayDeque<Batch> ready = new ArrayDeque<>();
  private long readyBytes;
  /** Bumped by every resume: a chunk read before it is dropped. */
  private long generation;
  private long resumeTo;
  private boolean resumePending;
  /** The last read found nothing new: the flusher need not wait for more. */
  private boolean atEnd = true;
  /** Calls of {@link #next} so far, and the last of them a finished read started after. */
  private long demand;
  private long served;
  /** Index of the last document read (or resumed after). */
  private long readUpTo = -1;
  private Throwable failure;
  private boolean closed;
  /** Prefetch thread only: it already waited once since the queue was last found at its end. */
  private boolean idleWaited;
  /** Prefetch thread only: its next wait at the queue's end, doubled while little or nothing is appended. */
  private long idleWaitMillis = IDLE_WAIT_MILLIS;

  /**
   * @param aheadBytes how much to read ahead: a flush's worth ({@code flush.max.bytes})
   * @param threadName the prefetch thread's name (one per flush lane)
   * @param trickle true for a read so small that the next look may wait longer (up to 32 ms): documents trickle
   *     in, and looking every 2 ms only takes CPU from the request path
   */
  public PrefetchingSource(BatchSource source, long aheadBytes, String threadName, LongPredicate trickle) {
    this.source = source;
    this.aheadBytes = aheadBytes;
    this.trickle = trickle;
    this.chunkBytes = Math.max(1, Math.min(MAX_CHUNK_BYTES, aheadBytes / 8));
    this.thread = RouterThreads.newThread(threadName, this::run, true);
  }

  @Override
  public void resumeAfter(long committedIndex) {
    synchronized (lock) {
      if (!thread.isAlive() && !closed) {
        thread.start();
      }
      generation++;
      ready.clear();
      readyBytes = 0;
      failure = null;
      atEnd = false;
      resumeTo = committedIndex;
      resumePending = true;
      lock.notifyAll();
      while (resumePending && !closed) {
        await(0);
      }
      throwFailure();
    }
  }

  /**
   * Hands out the chunks read, up to about {@code maxBytes}. Waits only for reading to take in what was
   * appended before the call (never for new documents): a flush sees what a synchronous read would.
   */
  @Override
  public Batch next(long maxBytes) {
    synchronized (lock) {
      // As a reader on this thread would: whatever was appended before this call is read (up to the
      // limit). When the queue holds documents not read yet, one read that starts after now must
      // finish, and then reading goes on to the end.
      long want = source.lastIndex() > readUpTo ? ++demand : served;
      lock.notifyAll();
      long limit = Math.min(maxBytes, aheadBytes);
      while (readyBytes < limit && (served < want || !atEnd) && failure == null && !closed && thread.isAlive()) {
        await(100); // woken by each chunk read; the timeout only guards against a lost wake-up
      }
      Batch out = new Batch();
      while (!ready.isEmpty()) {
        Batch head = ready.peek();
        if (!out.isEmpty() && out.bytes() + head.bytes() > maxBytes) {
          break;
        }
        ready.poll();
        readyBytes -= head.bytes();
        out.append(head);
      }
      if (out.readNothing()) {
        throwFailure();
      }
      lock.notifyAll();
      return out;
    }
  }

  @Override
  public void release(long committedIndex) {
    source.release(committedIndex);
  }

  @Override
  public long lastIndex() {
    return source.lastIndex();
  }

  @Override
  public long documentsAfter(long committedIndex) {
    return source.documentsAfter(committedIndex);
  }

  @Override
  public Backlog measure(long committedIndex, long upToIndex) {
    return source.measure(committedIndex, upToIndex);
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
    }
    if (thread.isAlive()) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      source.close();
    }
  }

  private void run() {
    try {
      while (readOnce()) {
        // until closed
      }
    } finally {
      source.close();
    }
  }

  /** One step of the prefetch thread: a resume, a wait, or one chunk read. @return false once closed */
  private boolean readOnce() {
    long readGeneration;
    long serving;
    synchronized (lock) {
      while (!closed && !resumePending && (failure != null || readyBytes >= aheadBytes)) {
        await(0);
      }
      if (closed) {
        return false;
      }
      if (resumePending) {
        resume();
        return true;
      }
      if (atEnd && (!idleWaited || source.lastIndex() <= readUpTo)) {
        // Nothing new at the last look: look again shortly, or when woken. While nothing is appended the
        // queue is not even read, and the waits grow (an idle router polled 500 times a second).
        idleWaited = true;
        await(idleWaitMillis);
        idleWaitMillis = Math.min(MAX_IDLE_WAIT_MILLIS, idleWaitMillis * 2);
        return true;
      }
      idleWaited = false;
      readGeneration = generation;
      serving = demand;
    }
    Batch chunk;
    Throwable failed = null;
    try {
      chunk = source.next(chunkBytes);
    } catch (RuntimeException | Error e) {
      chunk = null;
      failed = e;
    }
    synchronized (lock) {
      served = Math.max(served, serving);
      if (readGeneration == generation) {
        if (failed != null) {
          failure = failed;
        } else if (chunk.readNothing()) {
          atEnd = true;
        } else {
          // A chunk may hold only other lanes' documents, passed over: it still carries the position.
          ready.add(chunk);
          readyBytes += chunk.bytes();
          readUpTo = chunk.passedTo();
          atEnd = false;
          if (!trickle.test(chunk.bytes())) {
            idleWaitMillis = IDLE_WAIT_MILLIS;
          }
        }
        lock.notifyAll();
      }
    }
    return true;
  }

  private void resume() {
    try {
      source.resumeAfter(resumeTo);
    } catch (RuntimeException | Error e) {
      failure = e;
    }
    resumePending = false;
    atEnd = false;
    readUpTo = resumeTo;
    lock.notifyAll();
  }

  private void throwFailure() {
    if (failure != null) {
      Throwable f = failure;
      failure = null;
      throw new IllegalStateException("reading the queue failed: " + f, f);
    }
  }

  private void await(long millis) {
    try {
      lock.wait(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }
}
