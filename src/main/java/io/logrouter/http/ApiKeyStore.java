package io.logrouter.http;

import io.logrouter.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live API keys: those of {@code auth.api.keys} plus those of {@code auth.api.keys.file}. The
 * file is re-read by {@link #reloadIfChanged()} (polled by a background thread) when its
 * modification time or size changes and then stays the same for one more poll (so a file caught
 * half-written, e.g. truncated by {@code >}, is not applied); requests only read a volatile
 * snapshot, never the disk. Replacing the file atomically ({@code mv}) is still the safe way to edit.
 *
 * <p>Fail-safe: a file that cannot be read or parsed keeps the previous keys (and logs an error),
 * and once a key file is configured authentication stays enforced even if the file holds no key,
 * so a bad edit can lock clients out but never opens the router.
 */
final class ApiKeyStore {
  private static final Logger LOG = LoggerFactory.getLogger(ApiKeyStore.class);

  private final ApiKeys inline;
  private final Path file;
  private volatile ApiKeys current;
  private FileTime lastModified;
  private long lastSize = -1;
  /** A change seen at the last poll, applied once the next poll sees the file unchanged. */
  private FileTime pendingModified;
  private long pendingSize = -1;

  /**
   * @param inlineKeys the text of {@code auth.api.keys}
   * @param file the key file, or null
   * @throws ConfigException when the keys or the file are invalid at start-up
   */
  ApiKeyStore(String inlineKeys, Path file) {
    try {
      this.inline = ApiKeys.parse(inlineKeys, "auth.api.keys");
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    this.file = file;
    this.current = inline;
    if (file != null) {
      try {
        reload();
      } catch (IOException | IllegalArgumentException e) {
        throw new ConfigException("auth.api.keys.file=" + file + ": " + e.getMessage());
      }
    }
  }

  /** True when requests must present a key. */
  boolean enforced() {
    return file != null || inline.size() > 0;
  }

  ApiKeys current() {
    return current;
  }

  /** Called by the poller: re-reads the file when it changed. Never throws; a bad file is reported once. */
  void reloadIfChanged() {
    if (file == null) {
      return;
    }
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      long size = Files.size(file);
      if (modified.equals(lastModified) && size == lastSize) {
        return;
      }
      if (!modified.equals(pendingModified) || size != pendingSize) {
        pendingModified = modified;
        pendingSize = size;
        return;
      }
      // Remembered before parsing: a bad version is reported once, not at every poll.
      lastModified = modified;
      lastSize = size;
      int before = current.size();
      current = inline.plus(ApiKeys.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString()));
      LOG.info("API keys reloaded from {}: {} keys (was {})", file, current.size(), before);
    } catch (IOException | IllegalArgumentException e) {
      LOG.error("API key file {} not reloaded, the previous {} keys stay in force: {}", file, current.size(),
          e.getMessage());
    }
  }

  private void reload() throws IOException {
    // Modification time before content: an edit landing in between is seen again at the next poll.
    lastModified = Files.getLastModifiedTime(file);
    lastSize = Files.size(file);
    current = inline.plus(ApiKeys.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString()));
  }
}
