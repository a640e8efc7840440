package io.logrouter.buffer;

/**
 * A queue document that could not be read: its events are lost, and reported instead of flushed.
 *
 * @param index the document's queue index
 * @param cycle the roll cycle (file) it was in
 * @param bytes its length in bytes, or -1 when the damage hides it (a broken header, a missing file)
 * @param reason what was wrong, for logs_rejected and the log
 * @param quarantineFile where its raw bytes were saved, or "" when there were none to save
 */
public record DamagedDocument(long index, int cycle, long bytes, String reason, String quarantineFile) {}
