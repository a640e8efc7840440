package io.logrouter.buffer;

import io.logrouter.event.CorruptRecordException;
import io.logrouter.event.LogEvent;
import io.logrouter.event.RecordReader;
import io.logrouter.threads.RouterThreads;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events as they are accepted, before any flush: the live tail of the explorer. Its own Chronicle
 * tailer on its own thread follows the end of the queue and hands each new document's events to the
 * subscribers whose stream opened before it was appended. It reads what the ingest threads wrote and
 * never touches them, the flusher's reader or the commit point; a damaged document is skipped (the
 * flusher reports it), as is anything the tail cannot read.
 *
 * <p>With no subscriber the thread holds no tailer and only parks: the tail costs nothing unless
 * someone watches. Subscribers are called on the tail thread and must not block (they queue their
 * sends); a stream is admitted by {@link #reserve} up to {@code maxStreams}.
 */
public final class LiveTail implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveTail.class);
  /** How often an active tail looks for new documents: the latency it adds to what a page shows. */
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  /** How long an idle tail sleeps before looking for subscribers again (reserve() wakes it sooner). */
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** A present document the tailer still cannot read after this long is damage: jump to the end. */
  private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(2);
  /** How long reading waits for a reserved stream to open (see awaitingAttach). */
  private static final long ATTACH_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** Documents read per turn before subscribers get their tick (rate windows, drop notices). */
  private static final int DOCUMENTS_PER_TURN = 256;

  /** One open stream: receives the events of documents appended after it was reserved. */
  public interface Subscriber {
    /** The events of one new document (already filtered by nothing); on the tail thread, must not block. */
    void accept(List<LogEvent> events);

    /** Every turn of the tail thread, at least once a second while subscribed: time-based work. */
    void tick(long nowNanos);

    /** The tail is shutting down: end the stream. Called once. */
    void close();
  }

  /** A reserved stream slot: attach its subscriber once the stream is open; close it when the stream ends. */
  public final class Ticket implements AutoCloseable {
    private final long afterIndex;
    private final long reservedAt = System.nanoTime();
    private volatile Subscriber subscriber;
    private volatile boolean released;
    private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

    private Ticket(long afterIndex) {
      this.afterIndex = afterIndex;
    }

    public void attach(Subscriber s) {
      subscriber = s;
      if (released) {
        endSubscriber(); // the tail closed between the reservation and this: nobody else will end it
        return;
      }
      LockSupport.unpark(thread);
    }

    /** Ends the attached stream once, whichever of {@link #attach} and {@link LiveTail#close} comes last. */
    private void endSubscriber() {
      Subscriber s = subscriber;
      if (s != null && ended.compareAndSet(false, true)) {
        s.close();
      }
    }

    @Override
    public void close() {
      if (!released) {
        released = true;
        tickets.remove(this);
      }
    }
  }

  private final EventQueue queue;
  private final int maxStreams;
  private final CopyOnWriteArrayList<Ticket> tickets = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private final RecordReader reader = new RecordReader();
  private final List<LogEvent> events = new ArrayList<>();
  private byte[] buffer = new byte[64 * 1024];
  private volatile boolean closed;
  private ExcerptTailer tailer;
  private long stuckSince = -1;

  private LiveTail(EventQueue queue, int maxStreams) {
    this.queue = queue;
    this.maxStreams = maxStreams;
    this.thread = RouterThreads.newThread("live-tail", this::run, true);
  }

  public static LiveTail start(EventQueue queue, int maxStreams) {
    LiveTail tail = new LiveTail(queue, maxStreams);
    tail.thread.start();
    return tail;
  }

  /**
   * Reserves a stream that will see every document appended from now on.
   *
   * @return null when {@code maxStreams} are open or the tail is closed (the caller answers 503)
   */
  public synchronized Ticket reserve() {
    if (closed || tickets.size() >= maxStreams) {
      return null;
    }
    Ticket ticket = new Ticket(queue.lastIndex());
    tickets.add(ticket);
    return ticket;
  }

  public int openStreams() {
    return tickets.size();
  }

  public int maxStreams() {
    return maxStreams;
  }

  /** Why the tail thread is not doing its job (it died), or null; /ready reports it. */
  public String notRunningReason() {
    synchronized (this) {
      if (closed) {
        return null;
      }
    }
    return thread.isAlive() ? null : "the live tail thread is not running (GET /logs/tail streams get no events)";
  }

  /** Ends every stream and the thread; new reservations are refused. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Ticket ticket : tickets) {
      ticket.close();
      ticket.endSubscriber();
    }
  }

  private void run() {
    while (!closed) {
      try {
        if (tickets.isEmpty()) {
          closeTailer();
          LockSupport.parkNanos(this, IDLE_NANOS);
          continue;
        }
        if (tailer == null) {
          openTailer();
        }
        long now = System.nanoTime();
        boolean more = !awaitingAttach(now) && readSome();
        for (Ticket ticket : tickets) {
          Subscriber s = ticket.subscriber;
          if (s != null) {
            s.tick(now);
          }
        }
        if (!more) {
          LockSupport.parkNanos(this, POLL_NANOS);
        }
      } catch (RuntimeException | InternalError e) {
        // The tail is a view: start again at the end rather than stop it.
        RouterThreads.failed("live tail", e);
        closeTailer();
        LockSupport.parkNanos(this, IDLE_NANOS);
      }
    }
    closeTailer();
  }

  /**
   * A stream reserved but not yet open would miss what is read meanwhile: reading waits for it
   * (the SSE handshake takes milliseconds), unless its client vanished before it opened.
   */
  private boolean awaitingAttach(long now) {
    for (Ticket ticket : tickets) {
      if (ticket.subscriber == null && now - ticket.reservedAt < ATTACH_WAIT_NANOS) {
        return true;
      }
    }
    return false;
  }

  /** Positions after the earliest index any stream still waits for. */
  private void openTailer() {
    long after = Long.MAX_VALUE;
    for (Ticket ticket : tickets) {
      after = Math.min(after, ticket.afterIndex);
    }
    tailer = queue.createTailer();
    QueuePosition.resumeAfter(tailer, after);
    stuckSince = -1;
  }

  private void closeTailer() {
    if (tailer != null) {
      tailer.close();
      tailer = null;
    }
  }

  /** @return true when it stopped for the turn limit, not because nothing was left */
  private boolean readSome() {
    for (int i = 0; i < DOCUMENTS_PER_TURN; i++) {
      long index;
      int length;
      try (DocumentContext dc = tailer.readingDocument()) {
        if (!dc.isPresent()) {
          skipIfStuck();
          return false;
        }
        index = dc.index();
        Bytes<?> bytes = dc.wire().bytes();
        length = (int) bytes.readRemaining();
        if (buffer.length < length) {
          buffer = new byte[Math.max(length, buffer.length * 2)];
        }
        bytes.read(buffer, 0, length);
      }
      stuckSince = -1;
      deliver(index, length);
    }
    return true;
  }

  private void deliver(long index, int length) {
    events.clear();
    try {
      reader.read(ByteBuffer.wrap(buffer, 0, length), index, events);
    } catch (CorruptRecordException e) {
      LOG.debug("live tail skips damaged document {}: {}", Long.toHexString(index), e.getMessage());
      return;
    }
    List<LogEvent> batch = List.copyOf(events);
    for (Ticket ticket : tickets) {
      Subscriber s = ticket.subscriber;
      if (s != null && index > ticket.afterIndex) {
        s.accept(batch);
      }
    }
  }

  /** A damaged header looks to a tailer like a write in progress, for ever: after a while, go to the end. */
  private void skipIfStuck() {
    if (queue.lastIndex() < tailer.index()) {
      stuckSince = -1; // simply at the end
      return;
    }
    long now = System.nanoTime();
    if (stuckSince < 0) {
      stuckSince = now;
    } else if (now - stuckSince > STUCK_NANOS) {
      LOG.warn("live tail cannot read the queue at index {}; continuing from the end", Long.toHexString(tailer.index()));
      tailer.toEnd();
      stuckSince = -1;
    }
  }
}
