package dev.graphgate.emulator.graph.odata;

import dev.graphgate.emulator.graph.http.GraphException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code $search}: the directory's {@code "property:words"} clauses (words match at word starts, ignoring case) joined by
 * {@code AND}/{@code OR}, or Outlook's free text matched in subject, preview and sender.
 */
public final class Search {

  private record Clause(String property, String term) {}

  private final List<List<Clause>> anyOfAll;
  private final List<String> freeTextProperties;

  private Search(List<List<Clause>> anyOfAll, List<String> freeTextProperties) {
    this.anyOfAll = anyOfAll;
    this.freeTextProperties = freeTextProperties;
  }

  public static Search parse(String text, EntityType type, List<String> freeTextProperties) {
    List<List<Clause>> groups = new ArrayList<>();
    for (String orPart : text.split("\\s+OR\\s+")) {
      List<Clause> all = new ArrayList<>();
      for (String andPart : orPart.split("\\s+AND\\s+")) {
        String clause = andPart.trim();
        if (clause.length() >= 2 && clause.startsWith("\"") && clause.endsWith("\"")) {
          clause = clause.substring(1, clause.length() - 1);
        }
        int colon = clause.indexOf(':');
        if (colon > 0 && freeTextProperties == null) {
          String property = type.canonical(clause.substring(0, colon)).orElseThrow(() -> GraphException.badRequest(
              "Could not find a property named '" + andPart + "' on type '" + type.qualifiedName() + "'."));
          all.add(new Clause(property, clause.substring(colon + 1).toLowerCase(Locale.ROOT)));
        } else if (freeTextProperties == null) {
          throw new GraphException(400, "Request_UnsupportedQuery",
              "Invalid $search: use \"property:value\" clauses, e.g. $search=\"displayName:adele\".");
        } else {
          all.add(new Clause(null, clause.toLowerCase(Locale.ROOT)));
        }
      }
      groups.add(all);
    }
    return new Search(groups, freeTextProperties);
  }

  public boolean test(Map<String, Object> props) {
    for (List<Clause> all : anyOfAll) {
      boolean matched = true;
      for (Clause clause : all) {
        if (!matches(props, clause)) {
          matched = false;
          break;
        }
      }
      if (matched) {
        return true;
      }
    }
    return false;
  }

  private boolean matches(Map<String, Object> props, Clause clause) {
    if (clause.property() != null) {
      Object value = props.get(clause.property());
      if (value == null) {
        return false;
      }
      for (String word : value.toString().toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
        if (word.startsWith(clause.term())) {
          return true;
        }
      }
      return value.toString().toLowerCase(Locale.ROOT).startsWith(clause.term());
    }
    for (String property : freeTextProperties) {
      Object value = props.get(property);
      if (value != null && value.toString().toLowerCase(Locale.ROOT).contains(clause.term())) {
        return true;
      }
    }
    return false;
  }
}
