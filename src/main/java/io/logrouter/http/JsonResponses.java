package io.logrouter.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;

/** Writes JSON answers, above all the error bodies every route shares: {@code {"error": "...", ...}}. */
public final class JsonResponses {
  private static final JsonFactory JSON = new JsonFactory();

  private JsonResponses() {}

  /** Sends {@code {"error": message}} plus the given extra fields (String, Number, Boolean or null). */
  public static void error(HttpServerExchange exchange, int status, String message, Map<String, ?> extra) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator gen = JSON.createGenerator(out)) {
      gen.writeStartObject();
      gen.writeStringField("error", message);
      for (Map.Entry<String, ?> field : extra.entrySet()) {
        gen.writeFieldName(field.getKey());
        writeScalar(gen, field.getValue());
      }
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    send(exchange, status, out.toByteArray());
  }

  public static void error(HttpServerExchange exchange, int status, String message) {
    error(exchange, status, message, Map.of());
  }

  /** Sends an already-serialized JSON body. */
  public static void send(HttpServerExchange exchange, int status, byte[] json) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    exchange.getResponseSender().send(ByteBuffer.wrap(json));
  }

  private static void writeScalar(JsonGenerator gen, Object value) throws IOException {
    if (value == null) {
      gen.writeNull();
    } else if (value instanceof Integer || value instanceof Long) {
      gen.writeNumber(((Number) value).longValue());
    } else if (value instanceof Number) {
      gen.writeNumber(((Number) value).doubleValue());
    } else if (value instanceof Boolean) {
      gen.writeBoolean((Boolean) value);
    } else {
      gen.writeString(value.toString());
    }
  }
}
