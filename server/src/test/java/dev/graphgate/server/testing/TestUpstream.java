package dev.graphgate.server.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP server on a free loopback port that stands in for Microsoft where a test needs answers the emulator does
 * not give on demand (a 429 with a chosen Retry-After, a slow or huge body, a connection dropped mid-answer). It
 * records every request it receives, and answers with whatever the test's script returns.
 */
public final class TestUpstream implements AutoCloseable {

  /** A request as it arrived. {@code body} holds at most the first 1 MiB; {@code bodyLength} counts every byte. */
  public record Received(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body, long bodyLength,
      long arrivedNanos) {
    public String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /**
   * An answer: status, headers, and a body of {@code length} bytes (-1: chunked) from {@code body}. Status 0 closes the
   * connection without answering.
   */
  public record Reply(int status, Map<String, String> headers, InputStream body, long length, boolean dropMidBody) {
    public static Reply reset() {
      return new Reply(0, Map.of(), InputStream.nullInputStream(), 0, false);
    }

    public static Reply json(int status, String json, String... headerPairs) {
      byte[] b = json.getBytes(StandardCharsets.UTF_8);
      Map<String, String> h = new LinkedHashMap<>();
      h.put("Content-Type", "application/json");
      for (int i = 0; i + 1 < headerPairs.length; i += 2) {
        h.put(headerPairs[i], headerPairs[i + 1]);
      }
      return new Reply(status, h, new java.io.ByteArrayInputStream(b), b.length, false);
    }

    public static Reply bytes(int status, String contentType, InputStream body, long length) {
      return new Reply(status, Map.of("Content-Type", contentType), body, length, false);
    }

    public Reply droppingMidBody() {
      return new Reply(status, headers, body, length, true);
    }
  }

  /** {@code length} bytes of a repeating pattern, generated as read: any size in constant memory. */
  public static InputStream generated(long length) {
    return new InputStream() {
      long left = length;

      @Override
      public int read() {
        return left-- > 0 ? (int) ('a' + left % 26) : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left <= 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        for (int i = 0; i < n; i++) {
          b[off + i] = (byte) ('a' + (left - i) % 26);
        }
        left -= n;
        return n;
      }
    };
  }

  private final HttpServer server;
  private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger count = new AtomicInteger();
  private volatile Function<Received, Reply> script = r -> Reply.json(200, "{\"value\":[]}");
  private volatile boolean keepBodies = true;

  public TestUpstream() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public TestUpstream answer(Function<Received, Reply> s) {
    script = s;
    return this;
  }

  /** Do not keep request bodies (for large uploads): only their length is recorded. */
  public TestUpstream discardBodies() {
    keepBodies = false;
    return this;
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public int count() {
    return count.get();
  }

  public Received last() {
    List<Received> all = received();
    return all.get(all.size() - 1);
  }

  public void reset() {
    received.clear();
    count.set(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    long arrived = System.nanoTime();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
    byte[] kept;
    long length = 0;
    try (InputStream in = ex.getRequestBody()) {
      java.io.ByteArrayOutputStream keep = new java.io.ByteArrayOutputStream();
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        if (keepBodies && keep.size() < 1024 * 1024) {
          keep.write(buf, 0, Math.min(n, 1024 * 1024 - keep.size()));
        }
        length += n;
      }
      kept = keep.toByteArray();
    }
    Received r = new Received(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(), headers, kept, length, arrived);
    received.add(r);
    count.incrementAndGet();
    Reply reply = script.apply(r);
    if (reply.status() == 0) {
      throw new IOException("closing the connection without an answer, as scripted");
    }
    Headers out = ex.getResponseHeaders();
    reply.headers().forEach(out::add);
    boolean noBody = reply.status() == 204 || reply.status() == 304 || ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(reply.status(), noBody ? -1 : (reply.length() < 0 ? 0 : reply.length()));
    if (noBody) {
      ex.close();
      return;
    }
    try (OutputStream o = ex.getResponseBody(); InputStream body = reply.body()) {
      byte[] buf = new byte[64 * 1024];
      long sent = 0;
      int n;
      while ((n = body.read(buf)) > 0) {
        o.write(buf, 0, n);
        sent += n;
        if (reply.dropMidBody() && sent >= Math.max(1, reply.length() / 2)) {
          o.flush();
          // An exception out of the handler makes the server close the connection: the body breaks off.
          throw new IOException("dropping the connection mid-body, as scripted");
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
