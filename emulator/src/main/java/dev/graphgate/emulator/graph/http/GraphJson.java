package dev.graphgate.emulator.graph.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.Map;

/**
 * JSON as Graph writes it: nulls included ({@code "jobTitle": null} is part of Graph's answer), which the admin API's
 * compact mapper leaves out; and request bodies read as plain maps, checked by each resource.
 */
public final class GraphJson {

  public static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  /** Success bodies carry OData's full content type, as Graph's do. */
  public static final String CONTENT_TYPE =
      "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

  private GraphJson() {}

  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Graph bodies are maps, lists and scalars", e);
    }
  }

  /** A JSON object body, or a 400 in Graph's words. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> readObject(byte[] body) {
    if (body.length == 0) {
      throw GraphException.badRequest("Empty Payload. JSON content expected.");
    }
    Object value;
    try {
      value = MAPPER.readValue(body, Object.class);
    } catch (IOException e) {
      throw GraphException.badRequest("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
    }
    if (!(value instanceof Map<?, ?>)) {
      throw GraphException.badRequest("The request body must be a JSON object.");
    }
    return (Map<String, Object>) value;
  }
}
