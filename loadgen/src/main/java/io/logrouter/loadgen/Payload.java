package io.logrouter.loadgen;

/**
 * One request body and the sequence numbers it carries.
 *
 * @param body        bytes to POST
 * @param contentType header value for {@code body}
 * @param firstSeq    seq of the first event; the body holds {@code firstSeq .. firstSeq + events - 1}
 * @param events      number of events in the body
 */
record Payload(byte[] body, String contentType, long firstSeq, int events) {
}
