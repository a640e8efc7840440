package io.logrouter.loadgen;

/**
 * What MySQL holds of one run.
 *
 * @param acked          events the router answered 2xx for
 * @param present        acked events found at least once
 * @param missing        acked events not found: lost
 * @param duplicated     rows beyond the first for any seq, acked or not: stored twice
 * @param unackedPresent events found that were never acked (their request timed out or failed
 *                       after the router had queued it): not a loss, reported for completeness
 * @param waitedMillis   how long the poll waited for the flush
 */
record VerifyResult(long acked, long present, long missing, long duplicated, long unackedPresent, long waitedMillis) {

    boolean ok() {
        return missing == 0 && duplicated == 0;
    }

    VerifyResult withWaited(long millis) {
        return new VerifyResult(acked, present, missing, duplicated, unackedPresent, millis);
    }
}
