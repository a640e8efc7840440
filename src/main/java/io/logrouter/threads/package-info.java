/**
 * Background threads: one factory, one uncaught-exception handler, guarded periodic tasks, so no
 * part of the router can die or stop silently.
 */
package io.logrouter.threads;
