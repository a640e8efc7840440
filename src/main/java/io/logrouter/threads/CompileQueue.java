package io.logrouter.threads;

import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.function.IntSupplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * How many methods the JIT is compiling or has queued right now, from the JVM's own diagnostic command (what
 * {@code jcmd PID Compiler.queue} prints, through the platform MBean server: public API, no flag needed).
 *
 * <p>Why not the compile time ({@link CompileQuiet}): that counter grows only when a compile ends, so a window in
 * which C2 spent all its time on one large method, with more queued behind it, looks quiet.
 */
public final class CompileQueue {
  private static final String DIAGNOSTIC_COMMAND = "com.sun.management:type=DiagnosticCommand";

  private CompileQueue() {}

  /** Reads this JVM's compile queues on each call, where the JVM has the diagnostic command. */
  public static Optional<IntSupplier> ofThisJvm() {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      ObjectName name = new ObjectName(DIAGNOSTIC_COMMAND);
      if (!server.isRegistered(name)) {
        return Optional.empty();
      }
      IntSupplier pending = () -> {
        try {
          return pending((String) server.invoke(name, "compilerQueue", new Object[] {null},
              new String[] {String[].class.getName()}));
        } catch (JMException e) {
          throw new IllegalStateException("cannot read the JIT's compile queue", e);
        }
      };
      pending.getAsInt(); // fails here, not at the first use, on a JVM without the command
      return Optional.of(pending);
    } catch (JMException | IllegalStateException e) {
      return Optional.empty();
    }
  }

  /**
   * Counts the methods in the command's text: one line each under "Current compiles:" and under each
   * "... compile queue:" heading, whose sections end at a blank line; "Empty" is no method.
   */
  static int pending(String compilerQueueText) {
    int methods = 0;
    boolean inSection = false;
    for (String line : compilerQueueText.split("\n")) {
      String text = line.strip();
      if (text.startsWith("Current compiles:") || text.endsWith("compile queue:")) {
        inSection = true;
      } else if (text.isEmpty()) {
        inSection = false;
      } else if (inSection && !text.equals("Empty")) {
        methods++;
      }
    }
    return methods;
  }
}
