package dev.graphgate.server.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scrape of {@code GET /metrics}, read as Prometheus reads the text format: {@code # TYPE} lines name the metric
 * families, and each sample line is a series name, its labels and a value.
 */
public final class Exposition {
  private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final String text;
  private final Map<String, String> types = new LinkedHashMap<>();
  private final List<Sample> samples = new ArrayList<>();

  public Exposition(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        types.put(parts[2], parts[3]);
      } else if (!line.isBlank() && !line.startsWith("#")) {
        Matcher m = SAMPLE.matcher(line);
        if (!m.matches()) {
          throw new IllegalArgumentException("not a sample line: " + line);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (m.group(3) != null) {
          Matcher l = LABEL.matcher(m.group(3));
          while (l.find()) {
            labels.put(l.group(1), l.group(2));
          }
        }
        samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
      }
    }
  }

  public String text() {
    return text;
  }

  /** Family names ({@code # TYPE} lines) and their types. */
  public Map<String, String> types() {
    return types;
  }

  /** Families whose name starts with {@code prefix}, with a timer's or summary's {@code _max} gauge folded into its family. */
  public Set<String> families(String prefix) {
    Set<String> names = new LinkedHashSet<>();
    for (String f : types.keySet()) {
      if (!f.startsWith(prefix)) {
        continue;
      }
      String base = f.endsWith("_max") ? f.substring(0, f.length() - "_max".length()) : f;
      names.add(types.containsKey(base) ? base : f);
    }
    return names;
  }

  public List<Sample> samples() {
    return samples;
  }

  /**
   * The value of the one series named {@code name} whose labels include {@code labelPairs} (name, value, name,
   * value...); 0 when there is none, as Prometheus treats a counter not yet seen.
   */
  public double value(String name, String... labelPairs) {
    List<Sample> found = find(name, labelPairs);
    if (found.size() > 1) {
      throw new IllegalArgumentException(found.size() + " series match " + name + " " + List.of(labelPairs) + ": " + found);
    }
    return found.isEmpty() ? 0 : found.get(0).value();
  }

  /** The sum over every series named {@code name} whose labels include {@code labelPairs}. */
  public double sum(String name, String... labelPairs) {
    return find(name, labelPairs).stream().mapToDouble(Sample::value).sum();
  }

  public List<Sample> find(String name, String... labelPairs) {
    List<Sample> found = new ArrayList<>();
    for (Sample s : samples) {
      if (!s.name().equals(name)) {
        continue;
      }
      boolean all = true;
      for (int i = 0; i < labelPairs.length; i += 2) {
        all &= labelPairs[i + 1].equals(s.labels().get(labelPairs[i]));
      }
      if (all) {
        found.add(s);
      }
    }
    return found;
  }
}
