package io.logrouter.sink;

/**
 * What one committed flush wrote: rows into {@code logs}, dead letters into {@code logs_rejected},
 * and events dropped as duplicates (their request or event key was already stored).
 */
public record FlushResult(int rowsWritten, int rowsRejected, int duplicates) {
  public FlushResult(int rowsWritten, int rowsRejected) {
    this(rowsWritten, rowsRejected, 0);
  }
}
