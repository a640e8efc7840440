package io.logrouter.http;

import io.logrouter.event.IngestParser;

/**
 * What one ingest request may be: body size and how long it may take to arrive, and the event limits
 * the parser enforces (see {@link IngestParser#IngestParser(long, int, int, int)}).
 *
 * @param maxBodyBytes after gzip decoding; more is a 413
 * @param bodyTimeoutMillis a body not fully received this long after the headers is cut off
 */
record IngestLimits(long maxBodyBytes, long maxMessageBytes, int maxEvents, int maxAttributes,
    int maxAttributeDepth, long bodyTimeoutMillis) {

  IngestLimits {
    maxAttributeDepth = Math.min(maxAttributeDepth, IngestParser.MAX_ATTRIBUTE_DEPTH);
  }

  IngestParser newParser() {
    return new IngestParser(maxMessageBytes, maxEvents, maxAttributes, maxAttributeDepth);
  }
}
