package dev.graphgate.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The customer's app in the browser tests: a page on its own origin (127.0.0.1, another port than Graphgate's, so the
 * Connect UI's frame is cross-origin as in production) that opens the Connect UI with {@code @nangohq/frontend}, served
 * from the npm package the build installed in {@code connect-test-host/node_modules}.
 */
final class AppPageServer implements AutoCloseable {
  private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8", "map", "application/json");

  private final HttpServer server;
  private final Path root;

  AppPageServer() {
    root = Path.of(System.getProperty("connect.host.dir", "connect-test-host")).toAbsolutePath().normalize();
    if (!Files.isRegularFile(root.resolve("node_modules/@nangohq/frontend/dist/index.js"))) {
      throw new IllegalStateException("@nangohq/frontend is not installed in " + root + ": the build runs npm ci there (mvn verify)");
    }
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::serve);
    server.start();
  }

  /** The app's page, opening the Connect UI of {@code graphgate} with the session {@code token}, and {@code extra} query. */
  URI page(URI graphgate, String token, String extra) {
    return URI.create(origin() + "/?graphgate=" + graphgate.toString().replaceAll("/+$", "") + (token == null ? "" : "&token=" + token)
        + (extra == null || extra.isEmpty() ? "" : "&" + extra));
  }

  String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      Path file = root.resolve(path.equals("/") ? "index.html" : path.substring(1)).normalize();
      boolean allowed = file.startsWith(root) && (file.getParent().equals(root) || file.startsWith(root.resolve("node_modules/@nangohq/frontend/dist")));
      if (!allowed || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      String name = file.getFileName().toString();
      exchange.getResponseHeaders().set("Content-Type", TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream"));
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      byte[] body = Files.readAllBytes(file);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
