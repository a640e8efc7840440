/**
 * The disk buffer: one Chronicle Queue per router instance. Owns both sides of it: appending a
 * request as one checksummed document, and reading it back for the flusher ({@link
 * io.logrouter.buffer.QueueReader}: positioning, decoding, damage detection and quarantine, deletion
 * of committed files). No Chronicle type is used outside this package on the read side.
 */
package io.logrouter.buffer;
