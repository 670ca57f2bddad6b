package dev.graphgate.emulator.graph.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request Graph refuses: status, Graph's error code for it and a message a person can act on. Handlers throw it; the
 * dispatcher writes the OData error body. Cheap to throw (no stack trace): it is an answer, not a bug.
 */
public final class GraphException extends RuntimeException {

  private final int status;
  private final String code;
  private final Map<String, String> headers;

  public GraphException(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  public GraphException(int status, String code, String message, Map<String, String> headers) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.headers = new LinkedHashMap<>(headers);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public Map<String, String> headers() {
    return headers;
  }

  public static GraphException badRequest(String message) {
    return new GraphException(400, "BadRequest", message);
  }

  public static GraphException directoryBadRequest(String message) {
    return new GraphException(400, "Request_BadRequest", message);
  }

  public static GraphException directoryNotFound(String id) {
    return new GraphException(
        404, "Request_ResourceNotFound",
        "Resource '" + id + "' does not exist or one of its queried reference-property objects are not present.");
  }

  public static GraphException unsupportedQuery(String message) {
    return new GraphException(400, "Request_UnsupportedQuery", message);
  }

  public static GraphException outlookUserNotFound(String user) {
    return new GraphException(404, "ErrorInvalidUser", "The requested user '" + user + "' is invalid.");
  }

  public static GraphException outlookItemNotFound() {
    return new GraphException(404, "ErrorItemNotFound", "The specified object was not found in the store.");
  }

  public static GraphException outlookBadRequest(String message) {
    return new GraphException(400, "ErrorInvalidRequest", message);
  }

  public static GraphException itemNotFound(String message) {
    return new GraphException(404, "itemNotFound", message);
  }

  public static GraphException invalidRequest(String message) {
    return new GraphException(400, "invalidRequest", message);
  }
}
