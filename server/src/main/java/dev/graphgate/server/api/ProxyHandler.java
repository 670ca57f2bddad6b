package dev.graphgate.server.api;

import dev.graphgate.server.proxy.GraphProxy;
import dev.graphgate.server.proxy.ProxyCall;
import dev.graphgate.server.proxy.ProxyExchange;
import dev.graphgate.server.proxy.ProxyRequest;
import dev.graphgate.server.proxy.RequestHeaders;
import dev.graphgate.server.proxy.ResponseSink;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ALL /proxy/{anyPath}}: hands the raw path, query, headers and body stream to {@link GraphProxy} and streams
 * its answer back through the servlet response. Never reads the body itself (no {@code ctx.body()}), so bodies of any
 * size pass in constant memory.
 */
final class ProxyHandler {
  static final String PREFIX = "/proxy";
  private static final Logger log = LoggerFactory.getLogger(ProxyHandler.class);
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?");

  private final GraphProxy proxy;
  private final Optional<URI> publicUrl;
  private final IntSupplier port;
  /** The last Host header checked and the base made of it: clients keep sending the same one. */
  private volatile String[] lastBase = {null, null};

  ProxyHandler(GraphProxy proxy, Optional<URI> publicUrl, IntSupplier port) {
    this.proxy = proxy;
    this.publicUrl = publicUrl;
    this.port = port;
  }

  void handle(Context ctx) throws IOException {
    HttpServletRequest req = ctx.req();
    String uri = req.getRequestURI();
    String rawPath = uri.length() > PREFIX.length() ? uri.substring(PREFIX.length()) : "/";
    ProxyRequest request = ProxyRequest.parse(req.getMethod(), rawPath, req.getQueryString(), new ServletHeaders(req));
    long length = req.getContentLengthLong();
    boolean declared = length > 0 || req.getHeader("Transfer-Encoding") != null;
    ProxyExchange exchange = proxy.forward(new ProxyCall(request, req.getInputStream(), length, declared, publicBase(req)));
    try {
      exchange.writeTo(new ServletSink(ctx.res()), request.method().equals("HEAD"));
    } catch (IOException e) {
      // The status line is out: all that is left is to break the connection, so the client sees an incomplete answer
      // rather than a complete-looking short one.
      log.debug("proxied answer for {} {} broke off: {}", request.method(), rawPath, e.getMessage());
      abortConnection(req);
    }
  }

  private static void abortConnection(HttpServletRequest req) {
    try {
      ServletContextRequest.getServletContextRequest(req).getServletChannel().getEndPoint().close();
    } catch (RuntimeException e) {
      log.debug("could not abort the connection: {}", e.getClass().getSimpleName());
    }
  }

  /** Where the client reaches Graphgate: the configured public URL, else the Host it used. */
  private String publicBase(HttpServletRequest req) {
    if (publicUrl.isPresent()) {
      String s = publicUrl.get().toString();
      return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
    String host = req.getHeader("Host");
    String[] known = lastBase;
    if (host != null && host.equals(known[0])) {
      return known[1];
    }
    if (host != null && HOST.matcher(host).matches()) {
      String base = req.getScheme().toLowerCase(Locale.ROOT) + "://" + host;
      lastBase = new String[] {host, base};
      return base;
    }
    return "http://localhost:" + port.getAsInt();
  }

  private record ServletHeaders(HttpServletRequest req) implements RequestHeaders {
    @Override
    public Iterable<String> names() {
      return Collections.list(req.getHeaderNames());
    }

    @Override
    public List<String> values(String name) {
      return Collections.list(req.getHeaders(name));
    }

    @Override
    public Optional<String> first(String name) {
      return Optional.ofNullable(req.getHeader(name));
    }
  }

  /** The first value of a name replaces what the framework may have set (content type); later ones are added. */
  private static final class ServletSink implements ResponseSink {
    private final HttpServletResponse res;
    private final Set<String> seen = new HashSet<>();

    ServletSink(HttpServletResponse res) {
      this.res = res;
    }

    @Override
    public void status(int status) {
      res.setStatus(status);
    }

    @Override
    public void header(String name, String value) {
      if (seen.add(name.toLowerCase(Locale.ROOT))) {
        res.setHeader(name, value);
      } else {
        res.addHeader(name, value);
      }
    }

    @Override
    public void contentLength(long length) {
      res.setContentLengthLong(length);
    }

    @Override
    public OutputStream body() throws IOException {
      return res.getOutputStream();
    }
  }
}
