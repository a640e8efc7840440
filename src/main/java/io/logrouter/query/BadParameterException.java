package io.logrouter.query;

import java.util.LinkedHashMap;
import java.util.Map;

/** A request parameter the query API cannot use; answered as 400 with the parameter's name. */
final class BadParameterException extends RuntimeException {
  private final String parameter;
  private final Map<String, Object> extras;

  BadParameterException(String parameter, String message) {
    this(parameter, message, Map.of());
  }

  BadParameterException(String parameter, String message, Map<String, ?> extras) {
    super(message, null, false, false); // a client error: no stack trace worth capturing
    this.parameter = parameter;
    this.extras = new LinkedHashMap<>(extras);
  }

  String parameter() {
    return parameter;
  }

  /** The fields of the JSON error body besides {@code error}: the parameter first, then details. */
  Map<String, Object> body() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("parameter", parameter);
    body.putAll(extras);
    return body;
  }
}
