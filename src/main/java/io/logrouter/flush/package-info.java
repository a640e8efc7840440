/**
 * Moving events from the queue to the database: the flush policy (size or time), the circuit
 * breaker, and the supervised flusher thread that commits rows and the queue offset in one
 * transaction.
 */
package io.logrouter.flush;
