package io.logrouter.buffer;

import io.logrouter.threads.RouterThreads;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for {@code queue.durability=fsync}: acks wait for an fsync of the queue file they
 * were appended to, and every ack that arrives while one fsync runs shares the next one, so a
 * burst of requests costs a handful of fsyncs rather than one each.
 *
 * <p>On Linux, fsync of a file writes back every dirty page-cache page of that file, including
 * pages dirtied through Chronicle's shared memory mapping, so forcing the cycle file is enough.
 * A new cycle file's directory entry is made durable by forcing the directory once too.
 *
 * <p>Thread ownership: IO threads call {@link #submit}; the single "group-sync" thread does all
 * fsyncs and runs the callbacks (which must only hand work back to an IO thread).
 */
public final class GroupSync implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupSync.class);

  private record Pending(File file, Runnable durable, Runnable failed) {}

  private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
  private final Map<File, FileChannel> channels = new HashMap<>();
  private final long windowNanos;
  private final File directory;
  private final Thread thread;
  private volatile boolean closed;

  public GroupSync(File directory, long windowNanos) {
    this.directory = directory;
    this.windowNanos = windowNanos;
    this.thread = RouterThreads.newThread("group-sync", this::run, true);
    thread.start();
  }

  /** Runs {@code durable} once {@code file} is fsynced past this call, or {@code failed} if it cannot be. */
  public void submit(File file, Runnable durable, Runnable failed) {
    pending.add(new Pending(file, durable, failed));
    LockSupport.unpark(thread);
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    while (!closed || !pending.isEmpty()) {
      if (pending.isEmpty()) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        continue;
      }
      if (windowNanos > 0) {
        LockSupport.parkNanos(windowNanos);
      }
      Pending p;
      while ((p = pending.poll()) != null) {
        batch.add(p);
      }
      boolean ok = syncAll(batch);
      for (Pending done : batch) {
        complete(ok ? done.durable : done.failed);
      }
      batch.clear();
    }
    channels.values().forEach(GroupSync::closeQuietly);
  }

  /** One callback that throws must not strand the acks after it, nor stop this thread. */
  private static void complete(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException | Error e) {
      RouterThreads.failed("a group-sync callback", e);
    }
  }

  private boolean syncAll(List<Pending> batch) {
    try {
      java.util.Set<File> files = new java.util.HashSet<>();
      for (Pending p : batch) {
        files.add(p.file);
      }
      // Channels of files no longer written (an older roll cycle) are closed before new ones open.
      channels.entrySet().removeIf(e -> !files.contains(e.getKey()) && closeQuietly(e.getValue()));
      for (File file : files) {
        FileChannel channel = channels.get(file);
        if (channel == null) {
          channels.put(file, FileChannel.open(file.toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE));
          forceDirectory();
        }
        channels.get(file).force(false);
      }
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.error("fsync of the queue failed; answering 503 to the waiting requests", e);
      return false;
    }
  }

  private void forceDirectory() throws IOException {
    try (FileChannel dir = FileChannel.open(directory.toPath(), StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  private static boolean closeQuietly(FileChannel c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // closing a read/write channel after force has nothing left to lose
    }
    return true;
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
