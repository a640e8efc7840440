package io.logrouter.receive;

import java.util.function.UnaryOperator;

/**
 * One request as a receiver sees it: already read, its Content-Encoding already undone, and nothing
 * of the HTTP server in it, so receivers are tested on plain bytes.
 *
 * @param path the request path (e.g. {@code /my-index/_bulk})
 * @param contentType the Content-Type header, or null
 * @param headers any request header by name (null when absent)
 * @param body the decoded body is {@code body[0..length)}
 * @param receivedMicros when the router received it: the time of events that carry none
 */
public record ReceivedRequest(String path, String contentType, UnaryOperator<String> headers, byte[] body, int length,
    long receivedMicros) {

  /** The same request with its (decoded) body. */
  public ReceivedRequest withBody(byte[] decoded, int decodedLength) {
    return new ReceivedRequest(path, contentType, headers, decoded, decodedLength, receivedMicros);
  }

  /** The media type in lower case without parameters ({@code application/json; charset=utf-8} → {@code application/json}), or "". */
  public String mediaType() {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(java.util.Locale.ROOT);
  }
}
