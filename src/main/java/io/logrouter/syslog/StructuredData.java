package io.logrouter.syslog;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * RFC 5424 STRUCTURED-DATA as the attribute {@code "sd": {"SD-ID": {"PARAM-NAME": "value"}}}: two levels,
 * string values (the RFC has no other type), far inside the attribute depth limit. An element with no
 * parameters becomes an empty object. The span was already checked to be well-formed by the decoder.
 */
final class StructuredData {
  private StructuredData() {}

  static void write(byte[] in, int start, int end, JsonGenerator gen) throws IOException {
    gen.writeObjectFieldStart("sd");
    int p = start;
    StringBuilder value = new StringBuilder();
    while (p < end && in[p] == '[') {
      int id = ++p;
      while (p < end && in[p] != ' ' && in[p] != ']') {
        p++;
      }
      gen.writeObjectFieldStart(new String(in, id, p - id, StandardCharsets.UTF_8));
      while (p < end && in[p] == ' ') {
        int name = ++p;
        while (p < end && in[p] != '=' && in[p] != ']') {
          p++;
        }
        String paramName = new String(in, name, p - name, StandardCharsets.UTF_8);
        if (p + 1 >= end || in[p] != '=' || in[p + 1] != '"') {
          break; // a parameter without a quoted value: keep what came before it
        }
        p += 2;
        value.setLength(0);
        int run = p;
        while (p < end && in[p] != '"') {
          if (in[p] == '\\' && p + 1 < end && (in[p + 1] == '"' || in[p + 1] == '\\' || in[p + 1] == ']')) {
            value.append(new String(in, run, p - run, StandardCharsets.UTF_8));
            run = ++p; // keep the escaped character, drop the backslash
          }
          p++;
        }
        value.append(new String(in, run, p - run, StandardCharsets.UTF_8));
        gen.writeStringField(paramName, value.toString());
        p++; // the closing quote
      }
      while (p < end && in[p] != ']') {
        p++;
      }
      p++;
      gen.writeEndObject();
    }
    gen.writeEndObject();
  }
}
