package io.logrouter.sink;

/** What one committed flush wrote: rows into {@code logs} and dead letters into {@code logs_rejected}. */
public record FlushResult(int rowsWritten, int rowsRejected) {}
