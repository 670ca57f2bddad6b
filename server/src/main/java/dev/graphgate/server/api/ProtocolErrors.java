package dev.graphgate.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
        .put("code", code(status))
        .put("message", status == 503
            // Jetty's graceful stop answers so a request that arrives on an open connection while the server drains.
            ? "Graphgate is shutting down and took no new request; nothing was done. Send it again (to another instance, or to this one once it is back)."
            : "The request could not be read: " + (message == null || message.isBlank() ? "malformed request" : message)
                + " (HTTP " + status + "). Check the URL's percent-encoding, the method and the size of the headers.");
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(Json.write(body).getBytes(StandardCharsets.UTF_8)), callback);
  }

  static String code(int status) {
    return switch (status) {
      case 400 -> "malformed_request";
      case 405, 501 -> "method_not_allowed";
      case 413 -> "payload_too_large";
      case 414 -> "uri_too_long";
      case 431 -> "headers_too_large";
      case 503 -> "shutting_down";
      default -> "http_" + status;
    };
  }
}
