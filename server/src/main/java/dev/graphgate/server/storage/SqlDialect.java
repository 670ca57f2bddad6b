package dev.graphgate.server.storage;

import java.util.Map;
import java.util.Optional;

/**
 * The one place where H2 and PostgreSQL differ for Graphgate's SQL. Everything else (migrations, but for the values of
 * their placeholders; the refresh lease's conditional UPDATE, paging) is written once in SQL both accept.
 */
public enum SqlDialect {
  H2 {
    @Override
    public String containsIgnoreCase(String column, String parameter) {
      return "LOWER(" + column + ") LIKE LOWER(:" + parameter + ")";
    }

    @Override
    public String nextValue(String sequence) {
      return "NEXT VALUE FOR " + sequence;
    }

    @Override
    public Map<String, String> migrationPlaceholders() {
      return Map.of(ORDERED_ID_CACHE, "1000", PATTERN_OPS, "");
    }

    @Override
    public String fromRowsMatchingArray(String table, String alias, String index, String conditions, String column, String arrayParameter) {
      // Not "column IN (...)" nor "= ANY(:array)": H2 uses an index for those only on an index's first column, and
      // otherwise compares every row the other conditions leave with the list. Joined to UNNEST, each value is one
      // lookup in the index; named, because H2's planner otherwise takes an index that matches more of the other
      // conditions (the (connection_id, model) prefix of records_by_cursor) and reads the whole model per page.
      return "FROM UNNEST(:" + arrayParameter + ") AS wanted(v) JOIN " + table + " " + alias + " USE INDEX (" + index + ") ON " + conditions
          + " AND " + alias + "." + column + " = wanted.v";
    }

    @Override
    public String tableReadFirstBy(String table, String index, String conditions) {
      return table + " USE INDEX (" + index + ")";
    }

    @Override
    public Optional<String> refreshStatistics(String table) {
      // H2 analyzes a table itself as rows come (its ANALYZE_AUTO setting).
      return Optional.empty();
    }
  },
  POSTGRESQL {
    @Override
    public String containsIgnoreCase(String column, String parameter) {
      return column + " ILIKE :" + parameter;
    }

    @Override
    public String nextValue(String sequence) {
      return "nextval('" + sequence + "')";
    }

    @Override
    public Map<String, String> migrationPlaceholders() {
      return Map.of(ORDERED_ID_CACHE, "1", PATTERN_OPS, "varchar_pattern_ops");
    }

    @Override
    public String fromRowsMatchingArray(String table, String alias, String index, String conditions, String column, String arrayParameter) {
      // Not H2's UNNEST join: PostgreSQL's JDBC driver prepares a statement on the server after a few runs, and the plan
      // it kept for the join (made while the table was nearly empty) hashed the whole table for every page. "= ANY"
      // is an index lookup on the key once the table has statistics; before its first ANALYZE the planner may still
      // take the (connection_id, model) prefix of records_by_cursor and filter (benchmarks/README.md, the users sync).
      return "FROM " + table + " " + alias + " WHERE " + conditions + " AND " + alias + "." + column + " = ANY(:" + arrayParameter + ")";
    }

    @Override
    public String tableReadFirstBy(String table, String index, String conditions) {
      // PostgreSQL takes no hints. OFFSET 0 keeps the subquery from being merged into the outer query, whose ORDER BY id
      // would otherwise draw the planner to the primary key, read backwards through every newer row.
      return "(SELECT * FROM " + table + " WHERE " + conditions + " OFFSET 0) " + table;
    }

    @Override
    public Optional<String> refreshStatistics(String table) {
      return Optional.of("ANALYZE " + table);
    }
  };

  /**
   * The cache of a sequence whose order matters ({@code records_cursor}, the inbox's id: V12 and V13 say why): H2's
   * sequence cache is one for the database, so values stay in order; a PostgreSQL session would hold a block of its own.
   */
  static final String ORDERED_ID_CACHE = "ordered_id_cache";

  /**
   * The operator class an index needs for {@link #startsWith} to use it: on PostgreSQL a plain index serves LIKE only
   * under the C collation (V14__dashboard_indexes.sql).
   */
  static final String PATTERN_OPS = "pattern_ops";

  /** A predicate that is true when {@code column} contains the bound pattern ({@code %x%}), ignoring case. */
  public abstract String containsIgnoreCase(String column, String parameter);

  /** The next value of {@code sequence} (a constant name, never input), as an SQL expression. */
  public abstract String nextValue(String sequence);

  /**
   * A FROM clause (with its conditions) for the rows of {@code table} as {@code alias} that meet {@code conditions}
   * and whose {@code column} is one of the values of the bound array {@code arrayParameter}, each found through
   * {@code index}, whose first column is {@code column} (on H2 named to the planner; PostgreSQL chooses by its statistics).
   */
  public abstract String fromRowsMatchingArray(String table, String alias, String index, String conditions, String column, String arrayParameter);

  /**
   * A statement that brings the planner's statistics of {@code table} (a constant name, never input) up to date, where
   * the database does not do it as rows come: PostgreSQL leaves it to autovacuum, which may be off or a minute late.
   */
  public abstract Optional<String> refreshStatistics(String table);

  /**
   * {@code table} for a FROM clause, its rows matching {@code conditions} (a narrow range of {@code index}; the outer
   * statement repeats them) found through that index first: both databases' planners otherwise take the primary key
   * for an {@code ORDER BY id} and filter every row on the way to the range.
   */
  public abstract String tableReadFirstBy(String table, String index, String conditions);

  /** The values of the migrations' {@code ${...}} placeholders on this database: where the two must differ in schema. */
  public abstract Map<String, String> migrationPlaceholders();

  public static SqlDialect forJdbcUrl(String url) {
    if (url.startsWith("jdbc:h2:")) {
      return H2;
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException("unsupported database URL; Graphgate runs on H2 (jdbc:h2:) or PostgreSQL (jdbc:postgresql:)");
  }

  /**
   * A predicate that is true when {@code column} starts with the bound {@link #prefixPattern} (case-sensitive): an
   * index range scan on both databases, where an index on {@code column} exists (with {@link #PATTERN_OPS}).
   */
  public static String startsWith(String column, String parameter) {
    return column + " LIKE :" + parameter + " ESCAPE '\\'";
  }

  /** The pattern {@link #startsWith} binds: {@code text} with its LIKE wildcards escaped, then {@code %}. */
  public static String prefixPattern(String text) {
    return escape(text) + "%";
  }

  private static String escape(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  /** Escapes LIKE wildcards in user input so a search for {@code a_b} matches only that text. */
  public static String likePattern(String text) {
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }
}
