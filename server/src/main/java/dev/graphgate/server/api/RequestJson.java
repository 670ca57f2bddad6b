package dev.graphgate.server.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.graphgate.server.GraphgateException.InvalidJson;
import dev.graphgate.server.Json;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a request body into one JSON value, or refuses it with {@code invalid_json} and a message that says what is
 * wrong and where, without echoing more than a few characters of the input. The body must be UTF-8 (RFC 8259 §8.1; one
 * leading byte order mark is ignored, as Nango does), within {@link Json#REQUEST_READER}'s limits, with no key twice in
 * an object, and hold only text every store can keep: no unpaired surrogate (I-JSON, RFC 7493 §2.1), no NUL (which
 * PostgreSQL cannot store), and no number beyond a double's range (which Jackson would turn into a string).
 */
final class RequestJson {
  private static final int SHOWN = 60;

  private RequestJson() {}

  /** The value, or null for a body that is empty or only whitespace. */
  static JsonNode read(byte[] body) {
    String text = utf8(body);
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
      text = text.substring(1);
    }
    if (text.isBlank()) {
      return null;
    }
    JsonNode node;
    try {
      node = Json.REQUEST_READER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidJson(message(e));
    }
    problem(node, JsonPointer.empty()).ifPresent(p -> {
      throw new InvalidJson(p);
    });
    return node;
  }

  private static String utf8(byte[] body) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(body);
    CharBuffer out = CharBuffer.allocate(body.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      throw new InvalidJson("The body is not valid UTF-8: the byte 0x%02X at offset %d does not start or continue a character. Send JSON as UTF-8."
          .formatted(body[in.position()] & 0xFF, in.position()));
    }
    for (byte b : body) {
      if (b == 0) {
        // Valid UTF-8, but never in JSON text: the usual cause is a body sent as UTF-16 or UTF-32.
        throw new InvalidJson("The body holds a NUL byte, which JSON text never contains (was it sent as UTF-16?). Send JSON as UTF-8.");
      }
    }
    return out.flip().toString();
  }

  private static String message(JsonProcessingException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StreamConstraintsException c) {
        return limit(c.getOriginalMessage());
      }
    }
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (original.startsWith("Duplicate field") && e.getProcessor() instanceof JsonParser p) {
      JsonPointer at = p.getParsingContext().getParent() == null ? JsonPointer.empty() : p.getParsingContext().getParent().pathAsPointer();
      return "Duplicate key \"" + shown(p.getParsingContext().getCurrentName()) + "\" in the object at " + pointer(at)
          + ": each key may appear only once in an object" + where(e.getLocation());
    }
    if (e instanceof MismatchedInputException && original.startsWith("Trailing token")) {
      return "Malformed JSON: more follows the JSON value" + where(e.getLocation()) + "; send exactly one JSON object";
    }
    return "Malformed JSON: " + shown(original, 200) + where(e.getLocation());
  }

  /** Jackson's limit messages name its own classes; these name the limit and its value. */
  private static String limit(String jackson) {
    String m = jackson == null ? "" : jackson;
    if (m.startsWith("Document nesting depth")) {
      return "The JSON body is nested deeper than " + Json.MAX_REQUEST_DEPTH + " levels, the most Graphgate reads.";
    }
    if (m.startsWith("Number value length")) {
      return "The JSON body holds a number longer than " + Json.MAX_REQUEST_NUMBER_LENGTH + " digits, the most Graphgate reads.";
    }
    if (m.startsWith("String value length")) {
      return "The JSON body holds a string longer than " + Json.MAX_REQUEST_STRING_LENGTH + " characters, the most Graphgate reads.";
    }
    if (m.startsWith("Name length")) {
      return "The JSON body holds an object key longer than " + Json.MAX_REQUEST_KEY_LENGTH + " characters, the most Graphgate reads.";
    }
    return "The JSON body is over a limit: nesting at most " + Json.MAX_REQUEST_DEPTH + " levels, numbers at most "
        + Json.MAX_REQUEST_NUMBER_LENGTH + " digits, strings at most " + Json.MAX_REQUEST_STRING_LENGTH + " characters, keys at most "
        + Json.MAX_REQUEST_KEY_LENGTH + " characters.";
  }

  /** The first value no store can keep as sent, with its place. Nesting is bounded by the reader, so recursion is too. */
  private static Optional<String> problem(JsonNode node, JsonPointer at) {
    if (node.isTextual()) {
      return text(node.textValue()).map(what -> "The JSON body holds " + what + " in the string at " + pointer(at));
    }
    if (node.isDouble() && !Double.isFinite(node.doubleValue())) {
      return Optional.of("The JSON body holds a number too large for a double (beyond ±1.7976931348623157e308) at " + pointer(at));
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        Optional<String> inKey = text(e.getKey());
        if (inKey.isPresent()) {
          return Optional.of("The JSON body holds " + inKey.get() + " in a key of the object at " + pointer(at));
        }
        Optional<String> inValue = problem(e.getValue(), at.appendProperty(e.getKey()));
        if (inValue.isPresent()) {
          return inValue;
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        Optional<String> inItem = problem(node.get(i), at.appendIndex(i));
        if (inItem.isPresent()) {
          return inItem;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> text(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        return Optional.of("a NUL character (\\u0000), which cannot be stored,");
      }
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return Optional.of("an unpaired surrogate (\\u%04x), which is not a character,".formatted((int) c));
      }
    }
    return Optional.empty();
  }

  private static String pointer(JsonPointer p) {
    String s = p.toString();
    return s.isEmpty() ? "the top level" : shown(s);
  }

  private static String where(JsonLocation l) {
    return l == null || l.getLineNr() < 1 ? "" : " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")";
  }

  /** At most a few dozen characters of what the caller sent, control characters replaced, so a message stays one short line. */
  static String shown(String s) {
    return shown(s, SHOWN);
  }

  private static String shown(String s, int max) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    s.codePoints().limit(max).forEach(cp -> b.append(Character.isISOControl(cp) || Character.getType(cp) == Character.SURROGATE
        ? "?" : new String(Character.toChars(cp))));
    return s.codePointCount(0, s.length()) > max ? b + "…" : b.toString();
  }
}
