/**
 * The start-up warm-up: before the router opens its port, it serves requests to itself on loopback, through a
 * scratch server over a scratch queue, until the JIT has compiled the ingest path; then both are deleted. The
 * first requests a user sends are then answered by compiled code, not by the interpreter while the compilers
 * compete with them for the cores. Nothing of the warm-up reaches the router's queue, its database or its metrics.
 */
package io.logrouter.warmup;
