/**
 * Moving events from the queue to the database: the flush policy (size or time), the circuit
 * breaker, and the supervised flusher thread that commits rows and the queue offset in one
 * transaction; how long that thread parks between looks at the queue ({@code IdlePark}) and what each
 * flush attempt reports in metrics and the log ({@code FlushReports}).
 */
package io.logrouter.flush;
