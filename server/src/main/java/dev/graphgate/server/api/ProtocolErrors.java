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
 * headers over the size limit, a method it cannot parse, any request while it shuts down): the API's JSON error shape
 * with a stable code, instead of Jetty's HTML page, which no API client can read.
 */
final class ProtocolErrors extends ErrorHandler {

  /** Every method gets the JSON body: Jetty's default gives one only to GET, POST and HEAD, and API clients PATCH too. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(Request request, Response response, int status, String message, Throwable cause, Callback callback) {
    ObjectNode body = Json.object();
    body.putObject("error")
        .put("code", code(status).wire())
        .put("message", status == 503
            // Jetty's graceful stop answers so a request that arrives on an open connection while the server drains.
            ? "Graphgate is shutting down and took no new request; nothing was done. Send it again (to another instance, or to this one once it is back)."
            : "The request could not be read: " + (message == null || message.isBlank() ? "malformed request" : message)
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
      case 503 -> ErrorCode.SHUTTING_DOWN;
      default -> status >= 500 ? ErrorCode.GENERIC_ERROR_SUPPORT : ErrorCode.MALFORMED_REQUEST;
    };
  }
}
