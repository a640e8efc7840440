package io.logrouter.query;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.logrouter.event.LogEvent;

/**
 * An event of the live tail as the filter sees it: the queued event, and its attributes parsed at
 * most once however many comparisons read them.
 */
final class TailEvent {
  static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private final LogEvent event;
  private JsonNode attributes;

  TailEvent(LogEvent event) {
    this.event = event;
  }

  LogEvent event() {
    return event;
  }

  /** The attributes as a tree; an empty object when they cannot be read (never the case for queued events). */
  JsonNode attributes() {
    if (attributes == null) {
      try {
        attributes = JSON.readTree(event.attributes());
      } catch (java.io.IOException e) {
        attributes = JSON.createObjectNode();
      }
    }
    return attributes;
  }

  /** The value at an attribute path (names only), or a missing node. */
  JsonNode attribute(String[] path) {
    JsonNode node = attributes();
    for (String name : path) {
      node = node.isObject() ? node.get(name) : null;
      if (node == null) {
        return MissingNode.getInstance();
      }
    }
    return node;
  }
}
