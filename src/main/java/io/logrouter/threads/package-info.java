/**
 * Background threads: one factory, one uncaught-exception handler, guarded periodic tasks, so no
 * part of the router can die or stop silently. Also where the JVM's own threads are scheduled: once
 * warm, its C2 compiler runs under SCHED_IDLE ({@link io.logrouter.threads.CompilerThreads}). And
 * how a bulk loop shares a core with the request path: it yields every 0.25 ms of work
 * ({@link io.logrouter.threads.CoreYield}). And how background threads read /proc without disturbing the
 * request path's compiled socket reads ({@link io.logrouter.threads.ProcFiles}).
 */
package io.logrouter.threads;
