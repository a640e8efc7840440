package io.logrouter.receive;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.logrouter.event.AttributeWriter;
import io.logrouter.event.InvalidEventException;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Base64;

/** OTLP AnyValue → attribute JSON values and message text. Bytes become base64 strings, as in OTLP/JSON. */
final class OtlpValues {
  private static final JsonFactory JSON = new JsonFactory();

  private OtlpValues() {}

  /** Writes {@code value} as the attribute value just named. An unset value is JSON null. */
  static void write(AnyValue value, AttributeWriter attrs) throws InvalidEventException {
    switch (value.getValueCase()) {
      case STRING_VALUE -> attrs.string(value.getStringValue());
      case BOOL_VALUE -> attrs.bool(value.getBoolValue());
      case INT_VALUE -> attrs.number(value.getIntValue());
      case DOUBLE_VALUE -> attrs.number(value.getDoubleValue());
      case BYTES_VALUE -> attrs.string(Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray()));
      case ARRAY_VALUE -> {
        attrs.startArray();
        for (AnyValue item : value.getArrayValue().getValuesList()) {
          write(item, attrs);
        }
        attrs.endArray();
      }
      case KVLIST_VALUE -> {
        attrs.startObject();
        for (KeyValue kv : value.getKvlistValue().getValuesList()) {
          attrs.name(kv.getKey());
          write(kv.getValue(), attrs);
        }
        attrs.endObject();
      }
      default -> attrs.string(null);
    }
  }

  /** A log body as the message: a string as is, nothing as null, any other value as its JSON text. */
  static String message(AnyValue body) {
    return switch (body.getValueCase()) {
      case STRING_VALUE -> body.getStringValue();
      case VALUE_NOT_SET -> null;
      default -> {
        StringWriter text = new StringWriter();
        try (JsonGenerator gen = JSON.createGenerator(text)) {
          json(body, gen);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        yield text.toString();
      }
    };
  }

  private static void json(AnyValue value, JsonGenerator gen) throws IOException {
    switch (value.getValueCase()) {
      case STRING_VALUE -> gen.writeString(value.getStringValue());
      case BOOL_VALUE -> gen.writeBoolean(value.getBoolValue());
      case INT_VALUE -> gen.writeNumber(value.getIntValue());
      case DOUBLE_VALUE -> {
        if (Double.isFinite(value.getDoubleValue())) {
          gen.writeNumber(value.getDoubleValue());
        } else {
          gen.writeString(Double.toString(value.getDoubleValue()));
        }
      }
      case BYTES_VALUE -> gen.writeString(Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray()));
      case ARRAY_VALUE -> {
        gen.writeStartArray();
        for (AnyValue item : value.getArrayValue().getValuesList()) {
          json(item, gen);
        }
        gen.writeEndArray();
      }
      case KVLIST_VALUE -> {
        gen.writeStartObject();
        for (KeyValue kv : value.getKvlistValue().getValuesList()) {
          gen.writeFieldName(kv.getKey());
          json(kv.getValue(), gen);
        }
        gen.writeEndObject();
      }
      default -> gen.writeNull();
    }
  }
}
