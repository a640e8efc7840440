package io.logrouter.client.metrics;

import io.logrouter.client.metrics.ClientCounters.DropReason;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** The JMX view of one client; registered on start, unregistered on close. */
public final class ClientMBean implements LogRouterClientMXBean, AutoCloseable {
  private final ClientCounters counters;
  private final LongSupplier bufferBytes;
  private final LongSupplier spillBytes;
  private ObjectName registered;

  public ClientMBean(ClientCounters counters, LongSupplier bufferBytes, LongSupplier spillBytes) {
    this.counters = counters;
    this.bufferBytes = bufferBytes;
    this.spillBytes = spillBytes;
  }

  /** Registers under {@code name}, or {@code name-2}, {@code name-3}... when taken; returns the name used. */
  public ObjectName register(String name) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    for (int i = 1; i < 1000; i++) {
      try {
        ObjectName on = new ObjectName("io.logrouter.client:type=LogRouterClient,name="
            + ObjectName.quote(i == 1 ? name : name + "-" + i));
        if (!server.isRegistered(on)) {
          server.registerMBean(this, on);
          registered = on;
          return on;
        }
      } catch (javax.management.InstanceAlreadyExistsException raced) {
        // another client took it between the check and the registration: try the next suffix
      } catch (JMException e) {
        return null; // JMX is optional; the counters still work
      }
    }
    return null;
  }

  @Override
  public void close() {
    if (registered != null) {
      try {
        ManagementFactory.getPlatformMBeanServer().unregisterMBean(registered);
      } catch (JMException e) {
        // already gone
      }
      registered = null;
    }
  }

  @Override public long getSentEvents() { return counters.sentEvents(); }
  @Override public long getSentBatches() { return counters.sentBatches(); }
  @Override public long getDroppedBufferFull() { return counters.dropped(DropReason.BUFFER_FULL); }
  @Override public long getDroppedBlockTimeout() { return counters.dropped(DropReason.BLOCK_TIMEOUT); }
  @Override public long getDroppedRejected() { return counters.dropped(DropReason.REJECTED); }
  @Override public long getDroppedSpillFull() { return counters.dropped(DropReason.SPILL_FULL); }
  @Override public long getDroppedShutdown() { return counters.dropped(DropReason.SHUTDOWN); }
  @Override public long getDroppedEncoding() { return counters.dropped(DropReason.ENCODING); }
  @Override public long getRetries() { return counters.retries(); }
  @Override public long getFailovers() { return counters.failovers(); }
  @Override public long getSpilledEvents() { return counters.spilledEvents(); }
  @Override public long getReplayedEvents() { return counters.replayedEvents(); }
  @Override public long getBufferBytes() { return bufferBytes.getAsLong(); }
  @Override public long getSpillBytes() { return spillBytes.getAsLong(); }
}
