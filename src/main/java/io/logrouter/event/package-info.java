/**
 * The event model and its on-disk record format: parsing request bodies into normalized events,
 * the one timestamp parser and level mapping, and decoding queue documents back into events.
 */
package io.logrouter.event;
