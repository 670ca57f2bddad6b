package dev.graphgate.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;

/**
 * The one JSON configuration of the server. {@link #MAPPER} reads what Microsoft answers and what Graphgate stored
 * itself, with Jackson's defaults; {@link #REQUEST_READER} reads what API callers send, under stricter rules. Both are
 * immutable once built and safe to share.
 */
public final class Json {
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  /**
   * Deepest nesting of a request body. Far below Jackson's own limit of 1,000 (for reading and for writing), so a body
   * stored as metadata can always be written back inside the answers that wrap it.
   */
  public static final int MAX_REQUEST_DEPTH = 100;
  /** Longest number in a request body, in digits (Jackson's default; sign, point and exponent mark not counted). */
  public static final int MAX_REQUEST_NUMBER_LENGTH = 1_000;
  /** Longest string in a request body, in characters (Jackson's default). */
  public static final int MAX_REQUEST_STRING_LENGTH = 20_000_000;
  /** Longest object key in a request body, in characters (Jackson's default). */
  public static final int MAX_REQUEST_KEY_LENGTH = 50_000;

  /**
   * Request bodies: one JSON value (anything after it is an error), no key twice in one object, and the limits above.
   * Duplicate keys are refused here only: an answer from Microsoft is read as it comes (the last key wins, as in
   * JavaScript's {@code JSON.parse}), since Graphgate cannot correct it and refusing it would turn a working token or
   * page into an outage; and JSON Graphgate stored itself was written from a tree, which cannot hold a key twice.
   */
  public static final ObjectReader REQUEST_READER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxNestingDepth(MAX_REQUEST_DEPTH)
              .maxNumberLength(MAX_REQUEST_NUMBER_LENGTH)
              .maxStringLength(MAX_REQUEST_STRING_LENGTH)
              .maxNameLength(MAX_REQUEST_KEY_LENGTH)
              .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build())
      .build()
      .reader()
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("stored JSON is unreadable", e);
    }
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write JSON", e);
    }
  }
}
