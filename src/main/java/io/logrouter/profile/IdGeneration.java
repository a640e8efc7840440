package io.logrouter.profile;

/**
 * How {@code logs.id} values are generated on an engine, and what that means for writers. The schema
 * today uses AUTO_INCREMENT everywhere; the other variants are documented targets (docs/SCALING.md).
 */
public enum IdGeneration {
  /** One server hands out ids: cheap, ordered. */
  AUTO_INCREMENT,
  /** Galera / multi-primary: each node hands out ids with its own offset (wsrep_auto_increment_control), so ids have gaps. */
  AUTO_INCREMENT_PER_NODE,
  /** TiDB: AUTO_INCREMENT on a clustered key makes one hot region; AUTO_RANDOM spreads the writes. */
  AUTO_RANDOM,
  /** Vitess: a sequence table in an unsharded keyspace, or keys the writer makes (router id + queue index). */
  SEQUENCE_OR_WRITER_KEY
}
