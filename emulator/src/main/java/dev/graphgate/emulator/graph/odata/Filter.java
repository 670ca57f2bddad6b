package dev.graphgate.emulator.graph.odata;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A parsed {@code $filter}: a predicate over an entity's properties, and the operators it used (directory queries
 * refuse some of them outside advanced query mode).
 */
public final class Filter {

  private final Node root;
  private final Set<String> operators;
  private final String text;

  Filter(Node root, Set<String> operators, String text) {
    this.root = root;
    this.operators = Set.copyOf(operators);
    this.text = text;
  }

  public boolean test(Map<String, Object> props) {
    return Boolean.TRUE.equals(root.eval(new Scope(props, null, null)));
  }

  /** Lower-case operator and function names used: {@code eq}, {@code ne}, {@code not}, {@code startswith}, ... */
  public Set<String> operators() {
    return operators;
  }

  public String text() {
    return text;
  }

  /** Evaluation scope: the entity, and the lambda variable when inside {@code any(x: ...)}. */
  record Scope(Map<String, Object> props, String variable, Object element) {}

  interface Node {
    Object eval(Scope scope);
  }

  record Literal(Object value) implements Node {
    @Override
    public Object eval(Scope scope) {
      return value;
    }
  }

  record Property(List<String> path) implements Node {
    @Override
    public Object eval(Scope scope) {
      Object current;
      int start;
      if (scope.variable() != null && path.getFirst().equals(scope.variable())) {
        current = scope.element();
        start = 1;
      } else {
        current = scope.props();
        start = 0;
      }
      for (int i = start; i < path.size(); i++) {
        if (!(current instanceof Map<?, ?> map)) {
          return null;
        }
        current = lookup(map, path.get(i));
      }
      return current;
    }

    private static Object lookup(Map<?, ?> map, String key) {
      Object direct = map.get(key);
      if (direct != null || map.containsKey(key)) {
        return direct;
      }
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (entry.getKey().toString().equalsIgnoreCase(key)) {
          return entry.getValue();
        }
      }
      return null;
    }
  }

  record And(Node left, Node right) implements Node {
    @Override
    public Object eval(Scope scope) {
      return Boolean.TRUE.equals(left.eval(scope)) && Boolean.TRUE.equals(right.eval(scope));
    }
  }

  record Or(Node left, Node right) implements Node {
    @Override
    public Object eval(Scope scope) {
      return Boolean.TRUE.equals(left.eval(scope)) || Boolean.TRUE.equals(right.eval(scope));
    }
  }

  record Not(Node inner) implements Node {
    @Override
    public Object eval(Scope scope) {
      return !Boolean.TRUE.equals(inner.eval(scope));
    }
  }

  record Compare(String op, Node left, Node right) implements Node {
    @Override
    public Object eval(Scope scope) {
      Object a = left.eval(scope);
      Object b = right.eval(scope);
      return switch (op) {
        case "eq" -> equal(a, b);
        case "ne" -> !equal(a, b);
        default -> {
          if (a == null || b == null) {
            yield false;
          }
          int c = compare(a, b);
          yield switch (op) {
            case "gt" -> c > 0;
            case "ge" -> c >= 0;
            case "lt" -> c < 0;
            default -> c <= 0;
          };
        }
      };
    }
  }

  record In(Node left, List<Node> values) implements Node {
    @Override
    public Object eval(Scope scope) {
      Object a = left.eval(scope);
      for (Node value : values) {
        if (equal(a, value.eval(scope))) {
          return true;
        }
      }
      return false;
    }
  }

  record StringFunction(String name, Node subject, Node argument) implements Node {
    @Override
    public Object eval(Scope scope) {
      Object s = subject.eval(scope);
      Object a = argument.eval(scope);
      if (s == null || a == null) {
        return false;
      }
      String value = s.toString().toLowerCase(Locale.ROOT);
      String part = a.toString().toLowerCase(Locale.ROOT);
      return switch (name) {
        case "startswith" -> value.startsWith(part);
        case "endswith" -> value.endsWith(part);
        default -> value.contains(part);
      };
    }
  }

  record Any(Node collection, String variable, Node predicate) implements Node {
    @Override
    public Object eval(Scope scope) {
      Object value = collection.eval(scope);
      if (!(value instanceof List<?> list)) {
        return false;
      }
      for (Object element : list) {
        if (Boolean.TRUE.equals(predicate.eval(new Scope(scope.props(), variable, element)))) {
          return true;
        }
      }
      return false;
    }
  }

  static boolean equal(Object a, Object b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a instanceof Number || b instanceof Number) {
      Double x = number(a);
      Double y = number(b);
      return x != null && x.equals(y);
    }
    if (a instanceof Boolean || b instanceof Boolean) {
      return a.toString().equalsIgnoreCase(b.toString());
    }
    Instant x = instant(a);
    Instant y = instant(b);
    if (x != null && y != null) {
      return x.equals(y);
    }
    return a.toString().equalsIgnoreCase(b.toString());
  }

  static int compare(Object a, Object b) {
    Double x = number(a);
    Double y = number(b);
    if (x != null && y != null) {
      return Double.compare(x, y);
    }
    Instant p = instant(a);
    Instant q = instant(b);
    if (p != null && q != null) {
      return p.compareTo(q);
    }
    return a.toString().compareToIgnoreCase(b.toString());
  }

  private static Double number(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof String s && !s.isEmpty() && (Character.isDigit(s.charAt(0)) || s.charAt(0) == '-') && !s.contains("T") && s.indexOf('-', 1) < 0) {
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  static Instant instant(Object value) {
    if (!(value instanceof String s) || s.length() < 10 || !Character.isDigit(s.charAt(0)) || s.charAt(4) != '-') {
      return null;
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return java.time.LocalDateTime.parse(s).toInstant(java.time.ZoneOffset.UTC);
      } catch (DateTimeParseException again) {
        try {
          return java.time.LocalDate.parse(s).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
        } catch (DateTimeParseException last) {
          return null;
        }
      }
    }
  }
}
