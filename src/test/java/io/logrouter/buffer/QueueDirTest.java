package io.logrouter.buffer;

import java.nio.file.Path;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test that opens queues in a temporary directory. Chronicle releases a closed queue's files on a background
 * thread, so each test lets that finish before JUnit deletes the directory.
 */
abstract class QueueDirTest {
  @TempDir
  Path dir;

  @AfterEach
  void releaseQueueFiles() {
    BackgroundResourceReleaser.releasePendingResources();
  }
}
