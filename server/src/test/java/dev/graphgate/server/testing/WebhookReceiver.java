package dev.graphgate.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.graphgate.server.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The customer's app, as far as webhooks go: a JDK HTTP server on 127.0.0.1 that records every webhook it receives
 * (headers, exact body bytes) and answers {@link #answer}'s status (200 by default). {@link #stop} makes it unreachable
 * (connections refused); {@link #start} brings it back on the same port.
 */
public final class WebhookReceiver implements AutoCloseable {
  /** One webhook as received: header names lower-cased. */
  public record Received(Map<String, String> headers, byte[] body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public JsonNode json() {
      return Json.parse(bodyText());
    }

    public String eventId() {
      return header("X-Graphgate-Event-Id");
    }
  }

  private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicInteger answered = new AtomicInteger();
  private volatile int port;
  private HttpServer server;

  private WebhookReceiver(int port) {
    this.port = port;
  }

  /** A receiver listening on a free port. */
  public static WebhookReceiver started() {
    WebhookReceiver r = new WebhookReceiver(0);
    r.start();
    return r;
  }

  /** A receiver for {@code port}, not listening yet. */
  public static WebhookReceiver onPort(int port) {
    return new WebhookReceiver(port);
  }

  /** Listens (again, on the same port); does nothing while it listens. */
  public synchronized void start() {
    if (server != null) {
      return;
    }
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      int s = status.get();
      if (s >= 200 && s < 300) {
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        headers.put(":path", exchange.getRequestURI().toString());
        headers.put(":method", exchange.getRequestMethod());
        received.add(new Received(headers, body));
      }
      answered.incrementAndGet();
      exchange.sendResponseHeaders(s, -1);
      exchange.close();
    });
    server.start();
    port = server.getAddress().getPort();
  }

  public synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  /** The status answered from now on; only webhooks answered 2xx are recorded as received. */
  public WebhookReceiver answer(int s) {
    status.set(s);
    return this;
  }

  public int port() {
    return port;
  }

  public String url(String path) {
    return URI.create("http://127.0.0.1:" + port + path).toString();
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** Requests answered, whatever the status. */
  public int answered() {
    return answered.get();
  }

  public void clear() {
    received.clear();
  }

  @Override
  public void close() {
    stop();
  }
}
