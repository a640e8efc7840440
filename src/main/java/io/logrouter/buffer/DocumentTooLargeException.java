package io.logrouter.buffer;

/** A request whose normalized form is too large for one queue document: a 413 to the sender. */
public final class DocumentTooLargeException extends Exception {
  public DocumentTooLargeException(long bytes) {
    super("the request's events take " + bytes + " bytes once normalized, over the " + EventQueue.MAX_DOCUMENT_BYTES
        + " bytes of one queue record; split it", null, false, false);
  }
}
