package dev.graphgate.server.proxy;

import java.io.IOException;
import java.io.OutputStream;

/** Where a proxied answer is written: the HTTP layer's response, behind this port so the proxy knows no web framework. */
public interface ResponseSink {
  void status(int status);

  /** Adds a header value (a name may be given several times). */
  void header(String name, String value);

  void contentLength(long length);

  /** The client's connection; written to, flushed, never closed by the proxy. */
  OutputStream body() throws IOException;
}
