package dev.graphgate.emulator.graph.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the Graph host answers: status, headers and one of a few body kinds. {@link Body.Drop} is not an answer but the
 * connection-reset fault: the socket is closed without a response.
 */
public record GraphResponse(int status, Map<String, String> headers, Body body) {

  public GraphResponse {
    headers = new LinkedHashMap<>(headers);
  }

  public sealed interface Body {
    /** A JSON value (maps, lists, scalars) written with Graph's content type. */
    record Json(Object value) implements Body {}

    /** Bytes with their content type. */
    record Bytes(byte[] data, String contentType) implements Body {}

    /** A body written as it is produced, so large content never sits in memory. */
    record Stream(long length, String contentType, Writer writer) implements Body {}

    record Empty() implements Body {}

    /** Close the connection without answering. */
    record Drop() implements Body {}
  }

  @FunctionalInterface
  public interface Writer {
    void writeTo(OutputStream out) throws IOException;
  }

  public static GraphResponse json(int status, Object value) {
    return new GraphResponse(status, Map.of(), new Body.Json(value));
  }

  public static GraphResponse empty(int status) {
    return new GraphResponse(status, Map.of(), new Body.Empty());
  }

  public static GraphResponse text(int status, String text) {
    return new GraphResponse(status, Map.of(), new Body.Bytes(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/plain"));
  }
}
