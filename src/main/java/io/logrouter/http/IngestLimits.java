package io.logrouter.http;

import io.logrouter.event.AttributeWriter;
import io.logrouter.event.EventWriter;
import io.logrouter.event.IngestParser;

/**
 * What one ingest request may be: body size and how long it may take to arrive, and the event limits
 * the parser enforces (see {@link IngestParser#IngestParser(long, int, int, int)}).
 *
 * @param maxBodyBytes after gzip decoding; more is a 413
 * @param bodyTimeoutMillis a body not fully received this long after the headers is cut off
 * @param bodyMinBytesPerSecond a body arriving slower than this on average (after the grace) is cut off
 * @param bodyMinRateGraceMillis how long a body may arrive at any rate before the floor applies
 */
record IngestLimits(long maxBodyBytes, long maxMessageBytes, int maxEvents, int maxAttributes,
    int maxAttributeDepth, long bodyTimeoutMillis, long bodyMinBytesPerSecond, long bodyMinRateGraceMillis) {

  IngestLimits {
    // What the database can store bounds what may be configured: past it rows would be refused after the 202.
    maxAttributeDepth = Math.min(maxAttributeDepth, IngestParser.MAX_ATTRIBUTE_DEPTH);
    maxMessageBytes = Math.min(maxMessageBytes, EventWriter.MAX_MESSAGE_BYTES);
  }

  IngestParser newParser() {
    return new IngestParser(maxEvents, maxAttributes, maxAttributeDepth);
  }

  /** For receivers whose events are not JSON: the same attribute count and depth limits. */
  AttributeWriter newAttributeWriter() {
    return new AttributeWriter(maxAttributes, maxAttributeDepth);
  }

  EventWriter newWriter() {
    return new EventWriter(maxMessageBytes);
  }
}
