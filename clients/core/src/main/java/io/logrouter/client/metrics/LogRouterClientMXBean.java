package io.logrouter.client.metrics;

/** The client's counters over JMX: {@code io.logrouter.client:type=LogRouterClient,name=<name>}. */
public interface LogRouterClientMXBean {
  long getSentEvents();

  long getSentBatches();

  long getDroppedBufferFull();

  long getDroppedBlockTimeout();

  long getDroppedRejected();

  long getDroppedSpillFull();

  long getDroppedShutdown();

  long getDroppedEncoding();

  long getRetries();

  long getFailovers();

  long getSpilledEvents();

  long getReplayedEvents();

  long getBufferBytes();

  long getSpillBytes();
}
