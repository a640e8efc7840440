/**
 * The database side: migrations, connection pools, and writing a batch (rows, damage reports, dead
 * letters and the offset) in one transaction.
 */
package io.logrouter.sink;
