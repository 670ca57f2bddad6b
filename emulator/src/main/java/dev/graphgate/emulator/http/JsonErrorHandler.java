package dev.graphgate.emulator.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answer to requests refused before any route sees them (a malformed URI escape, headers over the size limit):
 * JSON in the host's error shape instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

  private final BiFunction<Integer, String, String> body;

  /** @param body the JSON document for a status and Jetty's short reason */
  JsonErrorHandler(BiFunction<Integer, String, String> body) {
    this.body = body;
  }

  @Override
  protected void generateResponse(
      Request request, Response response, int code, String message, Throwable cause, Callback callback) {
    byte[] json = body.apply(code, message == null ? "Bad Request" : message).getBytes(StandardCharsets.UTF_8);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store, no-cache");
    response.write(true, ByteBuffer.wrap(json), callback);
  }
}
