/**
 * The HTTP surface on Undertow: ingest routes, operations routes, authentication, limits; one
 * concern per handler.
 */
package io.logrouter.http;
