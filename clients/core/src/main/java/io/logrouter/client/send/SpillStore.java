package io.logrouter.client.send;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Batches kept on local disk while no router answers, one file per batch named
 * {@code spill-<seq>-<events>-<idempotency key>.ndjson.gz}: replayed oldest first with the key they
 * were first sent with, deleted once a router accepted them. Files left by a previous run are
 * replayed too. Bounded in bytes. Shared by the sender threads: every method holds the monitor.
 */
public class SpillStore {
  /** No spill directory configured: nothing is ever pending, every write is refused. */
  public static final SpillStore OFF = new SpillStore();
  private static final Pattern NAME = Pattern.compile("spill-(\\d{20})-(\\d+)-([0-9a-fA-F-]{1,64})\\.ndjson\\.gz");

  private final Path dir;
  private final long maxBytes;
  private final Deque<Entry> pending = new ArrayDeque<>();
  private long bytes;
  private long nextSeq;

  private record Entry(Path file, String key, int events, long size) {}

  private SpillStore() {
    this.dir = null;
    this.maxBytes = 0;
  }

  public SpillStore(Path dir, long maxBytes) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    try {
      Files.createDirectories(dir);
      try (Stream<Path> files = Files.list(dir)) {
        List<Path> sorted = files.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
        for (Path p : sorted) {
          Matcher m = NAME.matcher(p.getFileName().toString());
          m.matches();
          long size = Files.size(p);
          pending.add(new Entry(p, m.group(3), Integer.parseInt(m.group(2)), size));
          bytes += size;
          nextSeq = Long.parseLong(m.group(1)) + 1;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use spill directory " + dir, e);
    }
  }

  public boolean enabled() {
    return dir != null;
  }

  public synchronized boolean hasPending() {
    return !pending.isEmpty();
  }

  public synchronized long bytes() {
    return bytes;
  }

  /**
   * Writes the batch (atomically: temp file, then rename). False when spilling is off, the bound
   * would be passed, or the disk refuses: the caller counts the batch as dropped.
   */
  public synchronized boolean write(Batch batch) {
    if (dir == null || bytes + batch.gzipBody().length > maxBytes) {
      return false;
    }
    String name = String.format("spill-%020d-%d-%s.ndjson.gz", nextSeq, batch.events(), batch.idempotencyKey());
    Path file = dir.resolve(name);
    Path tmp = dir.resolve(name + ".tmp");
    try {
      Files.write(tmp, batch.gzipBody());
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // best effort
      }
      return false;
    }
    nextSeq++;
    pending.add(new Entry(file, batch.idempotencyKey(), batch.events(), batch.gzipBody().length));
    bytes += batch.gzipBody().length;
    return true;
  }

  /** The oldest spilled batch, read back with its original key; null when none. */
  public synchronized Batch oldest() {
    Entry e = pending.peekFirst();
    if (e == null) {
      return null;
    }
    try {
      return new Batch(e.key(), Files.readAllBytes(e.file()), e.events());
    } catch (IOException ex) {
      // unreadable (deleted behind our back): forget it rather than stall the replay for ever
      removeOldest();
      return null;
    }
  }

  /** Forgets and deletes the oldest batch: a router has it (or refused it for good). */
  public synchronized void removeOldest() {
    Entry e = pending.pollFirst();
    if (e != null) {
      bytes -= e.size();
      try {
        Files.deleteIfExists(e.file());
      } catch (IOException ignored) {
        // left behind: it would be replayed again next start, and the key makes that harmless
      }
    }
  }
}
