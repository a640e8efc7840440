package io.logrouter.cli;

import java.io.PrintStream;

/**
 * {@code log-router queue verify|dump ...}: offline inspection of a queue directory. Main dispatches
 * here when the first argument is {@code queue}; the arguments after it arrive in {@code args}.
 */
public final class QueueCommand {
  private QueueCommand() {}

  /** @return the process exit code: 0 clean, 1 damage found, 2 usage error */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    err.println("log-router queue: not implemented yet");
    return 2;
  }
}
