package io.logrouter.client.send;

/** What one attempt to send a batch came to. */
public record Outcome(Kind kind, int status, long retryAfterMs, String detail) {
  public enum Kind {
    /** 2xx: the router has it. */
    SENT,
    /** 4xx other than 408/429: sending it again cannot help; drop and count. */
    REJECTED,
    /** Timeout, connection error, 408, 429, 5xx: send again with the same key. */
    RETRY
  }

  public static Outcome sent(int status) {
    return new Outcome(Kind.SENT, status, -1, "");
  }

  public static Outcome ofStatus(int status, long retryAfterMs, String body) {
    if (status >= 200 && status < 300) {
      return sent(status);
    }
    boolean retry = status == 408 || status == 429 || status >= 500 || status < 200;
    return new Outcome(retry ? Kind.RETRY : Kind.REJECTED, status, retryAfterMs, body);
  }

  public static Outcome ioError(Exception e) {
    return new Outcome(Kind.RETRY, 0, -1, e.toString());
  }
}
