package dev.graphgate.emulator.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A receiver of Graph change notifications for tests, on a JDK HttpServer at 127.0.0.1: by default it passes the
 * validation handshake (echoes {@code validationToken} as {@code text/plain}) and acknowledges notifications with 202;
 * a test can make any path answer otherwise ({@link #respond}). Everything received is kept, per path.
 */
public final class NotificationReceiver implements AutoCloseable {

  /** One request as received: the query decoded, the body as text. */
  public record Received(String method, String path, String rawQuery, String contentType, String body) {
    public String validationToken() {
      if (rawQuery == null) {
        return null;
      }
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).equals("validationToken")) {
          return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        }
      }
      return null;
    }

    public JsonNode json() {
      try {
        return Http.JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  /** What to answer. */
  public record Reply(int status, String contentType, String body, long delayMillis) {
    public static Reply of(int status) {
      return new Reply(status, null, "", 0);
    }

    public static Reply text(String body) {
      return new Reply(200, "text/plain; charset=utf-8", body, 0);
    }

    public Reply after(long millis) {
      return new Reply(status, contentType, body, millis);
    }
  }

  @FunctionalInterface
  public interface Responder {
    Reply reply(Received request);
  }

  /** Graph's contract: the handshake echoed, notifications acknowledged with 202. */
  public static final Responder CORRECT = request -> request.validationToken() != null ? Reply.text(request.validationToken()) : Reply.of(202);

  private final HttpServer server;
  private final Map<String, Responder> responders = new ConcurrentHashMap<>();
  private final Map<String, List<Received>> received = new ConcurrentHashMap<>();

  private NotificationReceiver(HttpServer server) {
    this.server = server;
  }

  public static NotificationReceiver start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      NotificationReceiver receiver = new NotificationReceiver(server);
      server.createContext("/", receiver::handle);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The URL of {@code path} (starting with a slash) on this receiver. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public void respond(String path, Responder responder) {
    responders.put(path, responder);
  }

  public List<Received> received(String path) {
    return List.copyOf(received.getOrDefault(path, List.of()));
  }

  /** The notification POSTs (not handshakes) received on {@code path}. */
  public List<Received> posts(String path) {
    return received(path).stream().filter(r -> r.validationToken() == null).toList();
  }

  /** Every notification received on {@code path}, batches flattened, in order of arrival. */
  public List<JsonNode> notifications(String path) {
    List<JsonNode> out = new ArrayList<>();
    for (Received post : posts(path)) {
      post.json().path("value").forEach(out::add);
    }
    return out;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getPath();
      Received request = new Received(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
          exchange.getRequestHeaders().getFirst("Content-Type"), body);
      received.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(request);
      Reply reply = responders.getOrDefault(path, CORRECT).reply(request);
      if (reply.delayMillis() > 0) {
        try {
          Thread.sleep(reply.delayMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      if (reply.contentType() != null) {
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
      }
      exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    } catch (IOException e) {
      // The emulator gave up on a slow answer and closed the connection: expected in timeout tests.
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
