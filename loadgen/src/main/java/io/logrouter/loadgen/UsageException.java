package io.logrouter.loadgen;

/** A wrong flag or value. The message is shown to the user as is, on one line, with no stack trace. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message, null, false, false);
    }
}
