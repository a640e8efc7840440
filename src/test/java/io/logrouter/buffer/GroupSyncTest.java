package io.logrouter.buffer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A callback that throws must not strand the acks queued after it (nor stop the fsync thread). */
class GroupSyncTest {
  @TempDir
  Path dir;

  @Test
  void aThrowingCallbackDoesNotStrandLaterAcks() throws Exception {
    File file = Files.writeString(dir.resolve("cycle.cq4"), "x").toFile();
    try (GroupSync sync = new GroupSync(dir.toFile(), 0)) {
      CountDownLatch later = new CountDownLatch(20);
      sync.submit(file, () -> {
        throw new IllegalStateException("injected: a callback bug");
      }, () -> { });
      for (int i = 0; i < 10; i++) {
        sync.submit(file, later::countDown, () -> { });
      }
      Thread.sleep(20); // a later fsync round, after the thread met the throwing callback
      for (int i = 0; i < 10; i++) {
        sync.submit(file, later::countDown, () -> { });
      }
      assertTrue(later.await(10, TimeUnit.SECONDS), "acks after the throwing callback were answered");
    }
  }
}
