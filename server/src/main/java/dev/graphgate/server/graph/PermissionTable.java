package dev.graphgate.server.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The application permissions Microsoft Graph accepts per path family, shipped as {@code permissions.yaml} next to
 * this class and read once ({@link #shipped()}). Templates are compiled into segment arrays per method at load, so a
 * lookup (the proxy asks only on a 403, the Explorer before sending) is a split of the path and a walk of the few
 * templates of that method and length, the most literal first: {@code /users/delta} wins over {@code /users/{user}}.
 */
public final class PermissionTable {
  private static final String RESOURCE = "permissions.yaml";
  private static final Set<String> VERSIONS = Set.of("v1.0", "beta");
  /** A segment addressed by path ({@code root:/a/b.txt:}) after {@link #normalize}: its path replaced by this. */
  private static final String PATH_MARK = ":{path}:";
  /** OData's key syntax, {@code mailFolders('inbox')}, and function calls, {@code delta()}. */
  private static final Pattern KEY = Pattern.compile("\\('?([^'/()]*)'?\\)");

  private final List<PathFamily> families;
  /** Per method, then per segment count: the compiled templates, the most literal first. */
  private final Map<String, Map<Integer, List<Compiled>>> index = new HashMap<>();

  private record Compiled(PathFamily family, String template, String[] segments, int literals) {}

  private PermissionTable(List<PathFamily> families) {
    this.families = List.copyOf(families);
    for (PathFamily f : families) {
      for (String template : f.templates()) {
        String[] segments = split(template.toLowerCase(Locale.ROOT));
        int literals = 0;
        for (String s : segments) {
          literals += isVariable(s) ? 0 : 1;
        }
        for (String method : f.methods()) {
          index.computeIfAbsent(method, m -> new HashMap<>()).computeIfAbsent(segments.length, n -> new ArrayList<>())
              .add(new Compiled(f, template, segments, literals));
        }
      }
    }
    index.values().forEach(byLength -> byLength.values().forEach(list -> list.sort(Comparator.comparingInt(Compiled::literals).reversed())));
  }

  private static final class Shipped {
    static final PermissionTable TABLE = load();

    private static PermissionTable load() {
      try (InputStream in = PermissionTable.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("the shipped permission table " + RESOURCE + " is missing from the class path");
        }
        return parse(in);
      } catch (IOException e) {
        throw new UncheckedIOException("reading the shipped permission table", e);
      }
    }
  }

  /** The table shipped with Graphgate, read on first use. */
  public static PermissionTable shipped() {
    return Shipped.TABLE;
  }

  /** A table in the shipped file's format (see its header). */
  public static PermissionTable parse(InputStream yaml) throws IOException {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    List<PathFamily> families = new ArrayList<>();
    for (JsonNode f : root.path("families")) {
      String name = text(f, "name");
      Set<String> methods = new LinkedHashSet<>(strings(f.path("method"), name));
      Set<String> versions = f.has("versions") ? new LinkedHashSet<>(strings(f.path("versions"), name)) : VERSIONS;
      List<String> templates = strings(f.path("paths"), name);
      for (String t : templates) {
        if (!t.startsWith("/") || t.startsWith("/v1.0/") || t.startsWith("/beta/")) {
          throw new IllegalArgumentException("permission table, family '" + name + "': a path starts with / and has no version: " + t);
        }
      }
      List<String> docs = List.of(text(f, "docs").split("\\s*,\\s*"));
      families.add(new PathFamily(name, methods, templates, versions, strings(f.path("permissions"), name), docs,
          Optional.ofNullable(f.get("note")).map(JsonNode::asText)));
    }
    if (families.isEmpty()) {
      throw new IllegalArgumentException("permission table: no families");
    }
    return new PermissionTable(families);
  }

  public List<PathFamily> families() {
    return families;
  }

  /**
   * What the table knows of {@code method} on {@code path} ({@code /v1.0/users/{id}/messages}, with or without a
   * query, percent-encoded or not).
   */
  public PermissionLookup lookup(String method, String path) {
    int query = path.indexOf('?');
    String[] segments = split(normalize(query < 0 ? path : path.substring(0, query)));
    if (segments.length < 2 || !VERSIONS.contains(segments[0])) {
      return new PermissionLookup.Unlisted();
    }
    String version = segments[0];
    if (segments[1].equals("me") || segments[1].startsWith("me:")) {
      return new PermissionLookup.NotAppOnly("/me is the signed-in user, and an app-only (client credentials) token has no user: name the user"
          + " instead, /" + version + "/users/{id or userPrincipalName}" + rest(segments));
    }
    Map<Integer, List<Compiled>> byLength = index.get(method.toUpperCase(Locale.ROOT));
    List<Compiled> candidates = byLength == null ? null : byLength.get(segments.length - 1);
    if (candidates != null) {
      for (Compiled c : candidates) {
        if (c.family().versions().contains(version) && matches(c.segments(), segments)) {
          return new PermissionLookup.Listed(c.family(), c.template(), version);
        }
      }
    }
    return new PermissionLookup.Unlisted();
  }

  /**
   * What {@code method} on {@code path} needs, as the check syncs and actions share; empty when the table does not list
   * it, when it depends on the request (subscriptions) or for {@code /me}.
   */
  public Optional<RequiredPermission> required(String method, String path) {
    return lookup(method, path) instanceof PermissionLookup.Listed l ? l.family().required() : Optional.empty();
  }

  private static String rest(String[] segments) {
    StringBuilder b = new StringBuilder();
    for (int i = 2; i < segments.length && b.length() < 200; i++) {
      b.append('/').append(segments[i]);
    }
    // The caller's path goes into a response header: kept short.
    return b.length() > 200 ? b.substring(0, 200) + "..." : b.toString();
  }

  private static boolean matches(String[] template, String[] path) {
    for (int i = 0; i < template.length; i++) {
      String t = template[i];
      String p = path[i + 1];
      if (t.startsWith("{")) {
        // {x} is any one segment; {x}:{path}: one addressed by path, and only such a one.
        boolean byPath = t.endsWith(PATH_MARK);
        if (byPath != p.endsWith(PATH_MARK) || p.equals(PATH_MARK) || p.isEmpty()) {
          return false;
        }
      } else if (!t.equals(p)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isVariable(String segment) {
    return segment.startsWith("{");
  }

  /**
   * Lower case, {@code %24} and {@code %3A} decoded (clients escape {@code $ref} and the colons of path addressing),
   * OData keys as segments ({@code mailFolders('inbox')} as {@code mailFolders/inbox}, {@code delta()} as
   * {@code delta}), and the path of a path-addressed segment ({@code root:/a/b.txt:/content}) replaced by {@value #PATH_MARK}.
   */
  static String normalize(String rawPath) {
    String p = rawPath.toLowerCase(Locale.ROOT);
    if (p.indexOf('%') >= 0) {
      p = p.replace("%24", "$").replace("%3a", ":");
    }
    if (p.indexOf('(') >= 0) {
      p = KEY.matcher(p).replaceAll(m -> m.group(1).isEmpty() ? "" : "/" + Matcher.quoteReplacement(m.group(1)));
    }
    int open = p.indexOf(":/");
    if (open < 0) {
      return p;
    }
    int close = p.indexOf(':', open + 1);
    return p.substring(0, open) + PATH_MARK + (close < 0 ? "" : p.substring(close + 1));
  }

  private static String[] split(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() ? new String[0] : p.split("/", -1);
  }

  private static String text(JsonNode f, String field) {
    JsonNode v = f.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException("permission table: a family has no " + field + ": " + f);
    }
    return v.asText();
  }

  private static List<String> strings(JsonNode v, String family) {
    if (v.isTextual()) {
      return List.of(v.asText());
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException("permission table, family '" + family + "': expected a list, got " + v);
    }
    List<String> out = new ArrayList<>();
    v.forEach(e -> out.add(e.asText()));
    return out;
  }
}
