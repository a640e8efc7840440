/**
 * What differs between the MySQL-compatible engines the router writes to ({@code db.profile}): LOAD
 * DATA allowed or not, transaction and statement limits, retryable errors, id generation, and how to
 * read the commit point consistently after a failover. Depends on nothing else of the router.
 */
package io.logrouter.profile;
