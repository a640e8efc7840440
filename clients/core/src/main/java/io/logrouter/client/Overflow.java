package io.logrouter.client;

/** What a logging call does when the buffer is full. */
public enum Overflow {
  /** Drop the event and count it: the application thread never waits. */
  DROP,
  /** Wait up to {@code blockMaxWaitMs} for room, then drop and count. */
  BLOCK
}
