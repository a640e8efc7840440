/**
 * The disk buffer: one Chronicle Queue per router instance. Owns both sides of it: appending a
 * request as one checksummed document, and reading it back for the flusher ({@link
 * io.logrouter.buffer.QueueReader}: positioning, decoding, damage detection and quarantine, deletion
 * of committed files), and following its end for the live tail ({@link io.logrouter.buffer.LiveTail}:
 * its own tailer and thread, never the flusher's). No Chronicle type is used outside this package.
 */
package io.logrouter.buffer;
