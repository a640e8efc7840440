package io.logrouter.event;

/**
 * A request the router refuses as a whole (400): malformed JSON, a non-object event, a field of
 * the wrong type or out of range. Names the event (0-based index in the request) and the field
 * when they are known. Thrown on bad input only, so its cost never touches the accepted path;
 * stack traces are not filled in because nobody reads them.
 */
public final class InvalidEventException extends Exception {
  private final int status;
  private final int eventIndex;
  private final String field;

  public InvalidEventException(int eventIndex, String field, String message) {
    this(400, eventIndex, field, message);
  }

  /** @param status 400, or 413 when a size limit was passed */
  public InvalidEventException(int status, int eventIndex, String field, String message) {
    super(message, null, false, false);
    this.status = status;
    this.eventIndex = eventIndex;
    this.field = field;
  }

  public int status() {
    return status;
  }

  /** @return the 0-based index of the offending event, or -1 when the body as a whole is wrong */
  public int eventIndex() {
    return eventIndex;
  }

  /** @return the offending field, or null */
  public String field() {
    return field;
  }
}
