package io.logrouter.threads;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * How background threads read {@code /proc} (the page trim's maps every few seconds, the compiler threads' names
 * once): through java.io, never through NIO's file channels ({@code Files.newBufferedReader},
 * {@code Files.readString}).
 *
 * <p>Why: a file channel reads into a heap buffer through {@code sun.nio.ch.IOUtil.read}, the very method every
 * socket read of the request path goes through with direct buffers. Compiled by C2 for direct buffers only, it
 * was thrown away at the first trim after the warm-up (seen in the JIT log: {@code class_check} in
 * {@code IOUtil.read}, on the trim's thread), and the socket reads compiled again while requests came in.
 * {@code FileInputStream} reads natively, without that method.
 */
public final class ProcFiles {
  private ProcFiles() {}

  /** A reader of {@code file}, as UTF-8: the paths in /proc/self/maps are the bytes Java made them from. */
  public static BufferedReader open(Path file) throws IOException {
    return new BufferedReader(new InputStreamReader(new FileInputStream(file.toFile()), StandardCharsets.UTF_8));
  }

  /** The whole of a small {@code file}. */
  public static String read(Path file) throws IOException {
    try (FileInputStream in = new FileInputStream(file.toFile())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
