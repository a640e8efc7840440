package io.logrouter.receive;

import java.nio.charset.StandardCharsets;

/**
 * An answer in the receiver's own protocol. The HTTP side adds Retry-After to 429 and 503.
 *
 * @param body the encoded body (empty for 204)
 */
public record Reply(int status, String contentType, byte[] body) {
  private static final byte[] EMPTY = new byte[0];

  public static Reply json(int status, byte[] body) {
    return new Reply(status, "application/json", body);
  }

  public static Reply json(int status, String body) {
    return json(status, body.getBytes(StandardCharsets.UTF_8));
  }

  public static Reply empty(int status) {
    return new Reply(status, null, EMPTY);
  }
}
