/**
 * Daily partitions of the logs table and dropping the ones past retention.
 */
package io.logrouter.retention;
