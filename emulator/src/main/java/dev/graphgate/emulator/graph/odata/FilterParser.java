package dev.graphgate.emulator.graph.odata;

import dev.graphgate.emulator.graph.http.GraphException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses OData {@code $filter} expressions: {@code eq ne gt ge lt le}, {@code and or not}, parentheses, {@code in},
 * {@code startswith endswith contains}, and {@code any} lambdas over collections; literals are quoted strings, numbers,
 * {@code true false null}, GUIDs and date-times. Property names are checked against the entity type.
 */
public final class FilterParser {

  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}(T[0-9:.]+(Z|[+-]\\d{2}:\\d{2})?)?");
  private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Set<String> COMPARISONS = Set.of("eq", "ne", "gt", "ge", "lt", "le");
  /**
   * Parsing and evaluation recurse once per nesting level and per {@code and}/{@code or}: these bounds keep a filter
   * sent in a batch body (which no URI length limits) from exhausting the stack, far above what any client writes.
   */
  static final int MAX_NESTING = 100;
  static final int MAX_CONNECTIVES = 1000;

  private final List<Token> tokens;
  private final EntityType type;
  private final String text;
  private final Set<String> operators = new HashSet<>();
  private final List<String> variables = new ArrayList<>();
  private int position;
  private int nesting;
  private int connectives;

  private record Token(String text, boolean quoted) {
    boolean is(String word) {
      return !quoted && text.equalsIgnoreCase(word);
    }
  }

  private FilterParser(String text, EntityType type) {
    this.text = text;
    this.type = type;
    this.tokens = tokenize(text);
  }

  public static Filter parse(String text, EntityType type) {
    FilterParser parser = new FilterParser(text, type);
    Filter.Node node = parser.or();
    if (parser.position != parser.tokens.size()) {
      throw parser.invalid("unexpected '" + parser.tokens.get(parser.position).text() + "'");
    }
    return new Filter(node, parser.operators, text);
  }

  private Filter.Node or() {
    Filter.Node left = and();
    while (peek("or")) {
      connective("or");
      left = new Filter.Or(left, and());
    }
    return left;
  }

  private Filter.Node and() {
    Filter.Node left = not();
    while (peek("and")) {
      connective("and");
      left = new Filter.And(left, not());
    }
    return left;
  }

  private Filter.Node not() {
    if (peek("not")) {
      position++;
      operators.add("not");
      enter();
      Filter.Node inner = not();
      nesting--;
      return new Filter.Not(inner);
    }
    return primary();
  }

  private void connective(String word) {
    position++;
    operators.add(word);
    if (++connectives > MAX_CONNECTIVES) {
      throw invalid("more than " + MAX_CONNECTIVES + " 'and'/'or' operators");
    }
  }

  private void enter() {
    if (++nesting > MAX_NESTING) {
      throw invalid("nesting deeper than " + MAX_NESTING + " levels");
    }
  }

  private Filter.Node primary() {
    if (peek("(")) {
      position++;
      enter();
      Filter.Node inner = or();
      nesting--;
      expect(")");
      return inner;
    }
    Token token = next();
    String lower = token.text().toLowerCase(Locale.ROOT);
    if (!token.quoted() && peek("(") && Set.of("startswith", "endswith", "contains").contains(lower)) {
      position++;
      operators.add(lower);
      Filter.Node subject = operand(next());
      expect(",");
      Filter.Node argument = operand(next());
      expect(")");
      return new Filter.StringFunction(lower, subject, argument);
    }
    if (!token.quoted() && peek("(") && lower.endsWith("/any")) {
      position++;
      operators.add("any");
      Filter.Node collection = property(token.text().substring(0, token.text().length() - 4));
      String variable = next().text();
      expect(":");
      variables.add(variable);
      enter();
      Filter.Node predicate = or();
      nesting--;
      variables.remove(variables.size() - 1);
      expect(")");
      return new Filter.Any(collection, variable, predicate);
    }
    if (!token.quoted() && peek("(")) {
      throw new GraphException(400, "BadRequest", "Invalid filter clause: the function '" + token.text() + "' is not supported.");
    }
    Filter.Node left = operand(token);
    if (position >= tokens.size()) {
      throw invalid("a comparison operator is missing after '" + token.text() + "'");
    }
    Token op = next();
    String opName = op.text().toLowerCase(Locale.ROOT);
    if (!op.quoted() && opName.equals("in")) {
      operators.add("in");
      expect("(");
      List<Filter.Node> values = new ArrayList<>();
      do {
        values.add(operand(next()));
      } while (consume(","));
      expect(")");
      return new Filter.In(left, values);
    }
    if (op.quoted() || !COMPARISONS.contains(opName)) {
      throw invalid("'" + op.text() + "' is not a supported operator");
    }
    operators.add(opName);
    return new Filter.Compare(opName, left, operand(next()));
  }

  private Filter.Node operand(Token token) {
    if (token.quoted()) {
      return new Filter.Literal(token.text());
    }
    String value = token.text();
    String lower = value.toLowerCase(Locale.ROOT);
    switch (lower) {
      case "true":
        return new Filter.Literal(Boolean.TRUE);
      case "false":
        return new Filter.Literal(Boolean.FALSE);
      case "null":
        return new Filter.Literal(null);
      default:
        break;
    }
    if (NUMBER.matcher(value).matches()) {
      return new Filter.Literal(number(value));
    }
    if (DATE.matcher(value).matches() || GUID.matcher(value).matches()) {
      return new Filter.Literal(value);
    }
    return property(value);
  }

  /** Integers that do not fit a long compare as doubles, as every number does when evaluated. */
  private static Object number(String digits) {
    if (!digits.contains(".")) {
      try {
        return Long.parseLong(digits);
      } catch (NumberFormatException e) {
        // beyond a long: falls through to a double
      }
    }
    return Double.parseDouble(digits);
  }

  private Filter.Node property(String path) {
    List<String> parts = List.of(path.split("/"));
    if (!variables.isEmpty() && parts.getFirst().equals(variables.getLast())) {
      return new Filter.Property(parts);
    }
    String first = type.canonical(parts.getFirst())
        .orElseThrow(() -> new GraphException(400, "BadRequest",
            "Could not find a property named '" + parts.getFirst() + "' on type '" + type.qualifiedName() + "'."));
    List<String> canonical = new ArrayList<>(parts);
    canonical.set(0, first);
    return new Filter.Property(canonical);
  }

  private boolean peek(String word) {
    return position < tokens.size() && tokens.get(position).is(word);
  }

  private boolean consume(String word) {
    if (peek(word)) {
      position++;
      return true;
    }
    return false;
  }

  private void expect(String word) {
    if (!consume(word)) {
      throw invalid("'" + word + "' expected" + (position < tokens.size() ? " at '" + tokens.get(position).text() + "'" : " at the end"));
    }
  }

  private Token next() {
    if (position >= tokens.size()) {
      throw invalid("the expression ends too early");
    }
    return tokens.get(position++);
  }

  private GraphException invalid(String why) {
    return new GraphException(400, "BadRequest", "Invalid filter clause: " + why + " in '" + text + "'.");
  }

  private static List<Token> tokenize(String text) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '\'') {
        StringBuilder value = new StringBuilder();
        i++;
        while (true) {
          if (i >= text.length()) {
            throw new GraphException(400, "BadRequest", "Invalid filter clause: unterminated string literal in '" + text + "'.");
          }
          char d = text.charAt(i);
          if (d == '\'') {
            if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
              value.append('\'');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          value.append(d);
          i++;
        }
        tokens.add(new Token(value.toString(), true));
      } else if (c == '(' || c == ')' || c == ',') {
        tokens.add(new Token(String.valueOf(c), false));
        i++;
      } else if (c == ':' ) {
        tokens.add(new Token(":", false));
        i++;
      } else {
        int start = i;
        while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && "(),'".indexOf(text.charAt(i)) < 0
            && !(text.charAt(i) == ':' && !DATE_PREFIX.matcher(text.substring(start, i)).matches())) {
          i++;
        }
        tokens.add(new Token(text.substring(start, i), false));
      }
    }
    return tokens;
  }

  // A ':' inside a date-time literal (2024-01-01T10:00:00Z) belongs to the literal; elsewhere it ends a lambda variable.
  private static final Pattern DATE_PREFIX = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T.*");
}
