package dev.graphgate.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.ErrorCode;
import dev.graphgate.server.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answer to requests it refuses before any route sees them (a malformed percent escape, an ambiguous path,
 * headers over the size limit, a method it cannot parse): the API's JSON error shape with a stable code, instead of
 * Jetty's HTML page, which no API client can read.
 */
final class ProtocolErrors extends ErrorHandler {

  @Override
  protected void generateResponse(Request request, Response response, int status, String message, Throwable cause, Callback callback) {
    ObjectNode body = Json.object();
    body.putObject("error")
        .put("code", code(status).wire())
        .put("message", "The request could not be read: " + (message == null || message.isBlank() ? "malformed request" : message)
            + " (HTTP " + status + "). Check the URL's percent-encoding, the method and the size of the headers.");
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(Json.write(body).getBytes(StandardCharsets.UTF_8)), callback);
  }

  /** The code for Jetty's status; the status itself is Jetty's. */
  static ErrorCode code(int status) {
    return switch (status) {
      case 405, 501 -> ErrorCode.METHOD_NOT_ALLOWED;
      case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
      case 414 -> ErrorCode.URI_TOO_LONG;
      case 431 -> ErrorCode.HEADERS_TOO_LARGE;
      default -> status >= 500 ? ErrorCode.GENERIC_ERROR_SUPPORT : ErrorCode.MALFORMED_REQUEST;
    };
  }
}
