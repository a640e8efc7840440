package io.logrouter.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The JIT's queue as the JVM's diagnostic command prints it (JDK 17 text, taken from this machine). */
class CompileQueueTest {
  @Test
  void everyMethodBeingCompiledOrQueuedIsCounted() {
    String text = """
        Current compiles:\s
        C2 CompilerThread0  1312       4       java.lang.StringLatin1::compareToCI (108 bytes)
        C1 CompilerThread0  1317       2       java.lang.String::compareTo (9 bytes)

        C1 compile queue:
        1303       3       java.util.TreeMap::compare (32 bytes)
        1305       3       java.lang.ref.WeakReference::<init> (6 bytes)

        C2 compile queue:
        1172       4       java.lang.String::checkBoundsBeginEnd (63 bytes)

        """;
    assertEquals(5, CompileQueue.pending(text));
  }

  @Test
  void idleCompilersAreNoMethod() {
    String text = "Current compiles: \n\nC1 compile queue:\nEmpty\n\nC2 compile queue:\nEmpty\n\n";
    assertEquals(0, CompileQueue.pending(text));
  }

  @Test
  void thisJvmsQueueCanBeRead() {
    int pending = CompileQueue.ofThisJvm().orElseThrow().getAsInt();
    assertTrue(pending >= 0 && pending < 100_000, "pending " + pending);
  }
}
