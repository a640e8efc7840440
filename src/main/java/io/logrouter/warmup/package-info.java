/**
 * The start-up warm-up: before the router opens its port, it serves requests to itself on loopback, through a
 * scratch server over a scratch queue, until the JIT has compiled the ingest path; then both are deleted. The
 * first requests a user sends are then answered by compiled code, not by the interpreter while the compilers
 * compete with them for the cores. After each round it also rehearses the flush of what the scratch queue took,
 * into temporary copies of the tables on a connection of its own ({@link io.logrouter.warmup.FlushRehearsal}), so
 * that the first real flush meets compiled code too. Its scratch queue moves to a new cycle file every half second,
 * and JDK classes its traffic would not load are loaded first ({@link io.logrouter.warmup.LateClasses}), so that
 * nothing the real traffic does first (a first append to a new file, a first wait for a lock) throws compiled code
 * away. Nothing of the warm-up reaches the router's queue, its database's tables or its metrics.
 */
package io.logrouter.warmup;
