package dev.graphgate.emulator.graph.route;

import dev.graphgate.emulator.graph.http.GraphException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a Graph path into plain segments, undoing the spellings Graph accepts for the same resource:
 *
 * <ul>
 *   <li>key syntax: {@code mailfolders('inbox')} is {@code mailfolders/inbox}, {@code users('id')} is {@code users/id};
 *   <li>alternate keys: {@code servicePrincipals(appId='x')} is {@code servicePrincipals/appId=x};
 *   <li>function parameters: {@code root/delta(token='x')} is {@code root/delta} with {@code token=x};
 *   <li>path addressing: {@code root:/Folder/file.txt:/content} is {@code root}, {@code :/Folder/file.txt}, {@code content}.
 * </ul>
 */
public final class PathParser {

  private static final Pattern CALL = Pattern.compile("^([A-Za-z0-9_.$]+)\\((.*)\\)$");
  private static final Pattern NAMED = Pattern.compile("^([A-Za-z0-9_]+)=(.*)$");

  private PathParser() {}

  /** The result: segments, and parameters that came from function-call syntax. */
  public record Parsed(List<String> segments, List<Map.Entry<String, String>> functionParams) {}

  public static Parsed parse(String rawPath) {
    List<String> segments = new ArrayList<>();
    List<Map.Entry<String, String>> params = new ArrayList<>();
    String path = rawPath;
    int colon = path.indexOf(":/");
    String addressed = null;
    String rest = "";
    if (colon > 0) {
      int close = path.indexOf(':', colon + 1);
      addressed = decode(close < 0 ? path.substring(colon + 1) : path.substring(colon + 1, close));
      rest = close < 0 ? "" : path.substring(close + 1);
      path = path.substring(0, colon);
    }
    split(path, segments, params);
    if (addressed != null) {
      String normalized = addressed.length() > 1 && addressed.endsWith("/") ? addressed.substring(0, addressed.length() - 1) : addressed;
      segments.add(":" + normalized);
      split(rest, segments, params);
    }
    return new Parsed(List.copyOf(segments), List.copyOf(params));
  }

  private static void split(String path, List<String> segments, List<Map.Entry<String, String>> params) {
    for (String raw : path.split("/")) {
      if (raw.isEmpty()) {
        continue;
      }
      String segment = decode(raw);
      Matcher call = CALL.matcher(segment);
      if (!call.matches()) {
        segments.add(segment);
        continue;
      }
      String name = call.group(1);
      String args = call.group(2).trim();
      segments.add(name);
      if (args.isEmpty()) {
        continue;
      }
      Matcher named = NAMED.matcher(args);
      if (named.matches()) {
        String value = unquote(named.group(2).trim());
        if (name.equalsIgnoreCase("delta")) {
          params.add(new AbstractMap.SimpleImmutableEntry<>(named.group(1), value));
        } else {
          segments.add(named.group(1) + "=" + value);
        }
      } else {
        segments.add(unquote(args));
      }
    }
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
      return value.substring(1, value.length() - 1).replace("''", "'");
    }
    return value;
  }

  private static String decode(String raw) {
    try {
      // '+' is literal in a path; only percent escapes are decoded.
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw GraphException.badRequest("The path is not correctly percent-encoded: '" + raw + "'.");
    }
  }
}
