package dev.graphgate.server.proxy;

import java.io.InputStream;
import java.util.Objects;

/**
 * What the HTTP layer hands the proxy: the parsed headers, the client's body stream (not yet read), and the URL
 * prefix under which this client reaches Graphgate (for rewritten links).
 *
 * @param contentLength the declared length, -1 when unknown (chunked)
 * @param bodyDeclared whether the client announced a body (a length or a transfer encoding)
 * @param publicBase e.g. {@code http://localhost:3003}: the configured public URL, else the request's own host
 */
public record ProxyCall(ProxyRequest request, InputStream body, long contentLength, boolean bodyDeclared, String publicBase) {
  public ProxyCall {
    Objects.requireNonNull(request);
    Objects.requireNonNull(body);
    Objects.requireNonNull(publicBase);
  }
}
