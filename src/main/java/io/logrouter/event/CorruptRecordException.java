package io.logrouter.event;

/** A queue document that cannot be decoded: wrong checksum, unknown version, or a structure that does not add up. */
public final class CorruptRecordException extends Exception {
  public CorruptRecordException(String message) {
    super(message, null, false, false);
  }
}
