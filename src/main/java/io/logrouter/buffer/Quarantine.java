package io.logrouter.buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps the raw bytes of damaged queue documents under {@code queue.dir/quarantine}, one file per
 * document named after its cycle and index, so an operator can look at what was lost. Writing the
 * same document twice (a restart before its report was committed) overwrites the same file.
 */
public final class Quarantine {
  /** Offline tools report damage without writing anything. */
  public static final Quarantine DISCARD = new Quarantine(null);

  private final Path dir;

  private Quarantine(Path dir) {
    this.dir = dir;
  }

  public static Quarantine under(Path queueDir) {
    return new Quarantine(queueDir.resolve("quarantine"));
  }

  /** @return the file written, or "" when nothing was (DISCARD, or the write failed) */
  String save(int cycle, long index, ByteBuffer raw) {
    if (dir == null) {
      return "";
    }
    Path file = dir.resolve(String.format("cycle-%d-index-%x.damaged", cycle, index));
    try {
      Files.createDirectories(dir);
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer b = raw.duplicate();
        while (b.hasRemaining()) {
          ch.write(b);
        }
      }
      return file.toString();
    } catch (IOException e) {
      // Reporting the damage matters more than keeping its bytes: the caller logs and counts it anyway.
      return "";
    }
  }
}
