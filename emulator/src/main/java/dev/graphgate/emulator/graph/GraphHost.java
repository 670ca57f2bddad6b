package dev.graphgate.emulator.graph;

import dev.graphgate.emulator.graph.http.GraphException;
import dev.graphgate.emulator.graph.http.GraphErrors;
import dev.graphgate.emulator.graph.http.GraphJson;
import dev.graphgate.emulator.graph.http.GraphRequest;
import dev.graphgate.emulator.graph.http.GraphResponse;
import dev.graphgate.emulator.graph.http.QueryString;
import dev.graphgate.emulator.http.RequestId;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the Graph dispatcher to the Graph listener: every method under {@code /v1.0/} and {@code /beta/} becomes a
 * {@link GraphRequest}, and the {@link GraphResponse} goes back on the wire (JSON, bytes, a stream, or a dropped
 * connection).
 */
public final class GraphHost {

  private static final Logger LOG = LoggerFactory.getLogger(GraphHost.class);
  private static final HandlerType[] METHODS = {HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE};

  /** The most of a refused body that is read to deliver the 413 cleanly; beyond it the connection is closed. */
  private static final long DRAIN_LIMIT = 256L * 1024 * 1024;

  private final GraphDispatcher dispatcher;
  private final long maxBodyBytes;
  private final java.time.InstantSource clock;

  public GraphHost(GraphDispatcher dispatcher, long maxBodyBytes, java.time.InstantSource clock) {
    this.dispatcher = dispatcher;
    this.maxBodyBytes = maxBodyBytes;
    this.clock = clock;
  }

  public void register(RoutesConfig routes) {
    for (String version : new String[] {"v1.0", "beta"}) {
      for (HandlerType method : METHODS) {
        routes.addHttpHandler(method, "/" + version + "/*", ctx -> serve(ctx, version));
      }
      // HEAD is GET without the body (RFC 9110): the same authentication, throttling and headers. Left unregistered,
      // the listener answered every HEAD with an empty 200, token or not.
      routes.addHttpHandler(HandlerType.HEAD, "/" + version + "/*", ctx -> serve(ctx, version));
    }
  }

  private void serve(Context ctx, String version) throws IOException {
    GraphRequest request;
    try {
      request = toRequest(ctx, version);
    } catch (GraphException e) {
      String requestId = RequestId.next();
      String clientRequestId = ctx.header("client-request-id") == null ? requestId : ctx.header("client-request-id");
      write(ctx, GraphDispatcher.decorate(GraphErrors.response(e, requestId, clientRequestId, clock.instant()), requestId, clientRequestId));
      return;
    }
    write(ctx, dispatcher.dispatch(request));
  }

  private GraphRequest toRequest(Context ctx, String version) throws IOException {
    String uri = ctx.req().getRequestURI();
    String prefix = "/" + version + "/";
    String path = uri.length() > prefix.length() ? uri.substring(prefix.length()) : "";
    String method = ctx.method() == HandlerType.HEAD ? "GET" : ctx.method().name();
    return new GraphRequest(
        method, version, path, QueryString.parse(ctx.queryString()), headers(ctx), readBody(ctx), ctx.scheme() + "://" + ctx.host());
  }

  /** The request's headers, one value per name, as {@link GraphRequest} holds them. */
  public static Map<String, String> headers(Context ctx) {
    Map<String, String> headers = new LinkedHashMap<>();
    Enumeration<String> names = ctx.req().getHeaderNames();
    while (names.hasMoreElements()) {
      String name = names.nextElement();
      headers.put(name, ctx.req().getHeader(name));
    }
    return headers;
  }

  private byte[] readBody(Context ctx) throws IOException {
    long declared = ctx.req().getContentLengthLong();
    try (InputStream in = ctx.req().getInputStream()) {
      if (declared > maxBodyBytes) {
        drain(in);
        throw new GraphException(413, "requestEntityTooLarge",
            "The request body is " + declared + " bytes; the emulator accepts at most " + maxBodyBytes + " bytes in one request (simple uploads included).");
      }
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
      if (body.length > maxBodyBytes) {
        drain(in);
        throw new GraphException(413, "requestEntityTooLarge",
            "The request body is larger than " + maxBodyBytes + " bytes, the most the emulator accepts in one request.");
      }
      return body;
    }
  }

  /**
   * Reads and discards what is left of a refused body (up to {@link #DRAIN_LIMIT}), so the client, still sending it,
   * reads the 413 instead of a connection closed under it.
   */
  private static void drain(InputStream in) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long left = DRAIN_LIMIT;
    int n;
    while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
      left -= n;
    }
  }

  public static void write(Context ctx, GraphResponse response) throws IOException {
    if (response.body() instanceof GraphResponse.Body.Drop) {
      drop(ctx);
      return;
    }
    ctx.status(response.status());
    response.headers().forEach(ctx::header);
    switch (response.body()) {
      case GraphResponse.Body.Json json -> {
        ctx.header("OData-Version", "4.0");
        ctx.contentType(GraphJson.CONTENT_TYPE);
        ctx.result(GraphJson.write(json.value()));
      }
      case GraphResponse.Body.Bytes bytes -> {
        if (bytes.contentType().equals(GraphJson.CONTENT_TYPE)) {
          ctx.header("OData-Version", "4.0");
        }
        ctx.contentType(bytes.contentType());
        ctx.result(bytes.data());
      }
      case GraphResponse.Body.Stream stream -> {
        ctx.contentType(stream.contentType());
        ctx.res().setContentLengthLong(stream.length());
        OutputStream out = ctx.res().getOutputStream();
        stream.writer().writeTo(out);
        out.flush();
      }
      case GraphResponse.Body.Empty empty -> ctx.result(new byte[0]);
      case GraphResponse.Body.Drop drop -> throw new IllegalStateException("handled above");
    }
  }

  /** The connection-reset fault: an abortive close (RST) where the transport allows it, else a plain close. */
  private static void drop(Context ctx) {
    try {
      EndPoint endPoint = ServletContextRequest.getServletContextRequest(ctx.req()).getConnectionMetaData().getConnection().getEndPoint();
      if (endPoint instanceof SocketChannelEndPoint socket && socket.getChannel() instanceof SocketChannel channel) {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
      }
      endPoint.close();
    } catch (IOException | RuntimeException e) {
      LOG.debug("Could not reset the connection; closing it instead", e);
    }
  }
}
