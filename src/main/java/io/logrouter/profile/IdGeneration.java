package io.logrouter.profile;

import java.util.Locale;

/**
 * Where {@code logs.id} values come from. Each profile has its own default; {@code db.ids} overrides it
 * (docs/SCALING.md §5). The table is the same in every case: a writer-made id is an explicit value in
 * the same {@code BIGINT UNSIGNED} column.
 */
public enum IdGeneration {
  /** One server hands out ids (AUTO_INCREMENT): cheap, ordered. */
  AUTO_INCREMENT,
  /** Galera / Group Replication: each node hands out AUTO_INCREMENT ids with its own offset, so ids have gaps. */
  AUTO_INCREMENT_PER_NODE,
  /**
   * Each flush lane makes its own ids from a slot of its own and a counter kept in its offsets row: no
   * central counter (Vitess shards need none), and a flush retried after a rollback writes the same ids.
   */
  WRITER,
  /**
   * As {@link #WRITER}, with the counter's low bits copied to the top of the id, so consecutive rows land in
   * 32 ranges of the key rather than at its end: what TiDB's AUTO_RANDOM does against a hot region.
   */
  WRITER_SCATTERED;

  /** The {@code db.ids} values besides {@code profile}, as written in the config. */
  public static final String CHOICES = "profile, auto_increment, writer or writer_scattered";

  /** Whether the router writes the id column itself. */
  public boolean writerMade() {
    return this == WRITER || this == WRITER_SCATTERED;
  }

  /**
   * The generation {@code db.ids} asks for on {@code profile}: {@code profile} takes the profile's own;
   * {@code auto_increment} keeps the profile's kind of server-made ids.
   *
   * @throws IllegalArgumentException naming the choices
   */
  public static IdGeneration chosen(String dbIds, DbProfile profile) {
    String wanted = dbIds.trim().toLowerCase(Locale.ROOT);
    return switch (wanted) {
      case "profile" -> profile.ids();
      case "auto_increment" -> profile.ids().writerMade() ? AUTO_INCREMENT : profile.ids();
      case "writer" -> WRITER;
      case "writer_scattered" -> WRITER_SCATTERED;
      default -> throw new IllegalArgumentException("must be one of " + CHOICES);
    };
  }
}
