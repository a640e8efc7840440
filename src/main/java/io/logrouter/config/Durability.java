package io.logrouter.config;

/** What a 202 promises about an event's survival. */
public enum Durability {
  /** In the queue's memory-mapped file: survives kill -9 of the router, not power loss. */
  PROCESS,
  /** Also msync'ed to the device before the ack: survives power loss and kernel crashes. */
  FSYNC
}
