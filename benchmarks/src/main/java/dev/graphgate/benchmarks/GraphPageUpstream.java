package dev.graphgate.benchmarks;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * The upstream of the proxy benchmark, as trivial as shared/BENCHMARKS.md asks: a keep-alive HTTP/1.1 server on raw
 * sockets (a virtual thread per connection) that answers every request with the same fixed Graph page of
 * {@value #PAGE_BYTES} bytes (the size of the page in the peer measurement), after {@code latency}. It reads request
 * heads and any {@code Content-Length} body, and writes prepared bytes: it costs the machine as little as a server can,
 * so the figures show the proxy's cost, not the upstream's.
 */
final class GraphPageUpstream implements AutoCloseable {
  static final int PAGE_BYTES = 2257;

  private final ServerSocket server;
  private final byte[] answer;
  private volatile long latencyMillis;
  private volatile boolean open = true;

  GraphPageUpstream(Duration latency) {
    this.latencyMillis = latency.toMillis();
    byte[] page = page();
    byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8\r\n"
        + "request-id: 5a0d3c0e-0b1f-4b8a-9d5e-2f3a4b5c6d7e\r\nOData-Version: 4.0\r\nContent-Length: " + page.length + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    answer = Arrays.copyOf(head, head.length + page.length);
    System.arraycopy(page, 0, answer, head.length, page.length);
    try {
      server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Thread.ofVirtual().name("upstream-accept").start(this::accept);
  }

  /** Changes the delay of every answer from now on. */
  void latency(Duration latency) {
    latencyMillis = latency.toMillis();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  private void accept() {
    while (open) {
      try {
        Socket s = server.accept();
        s.setTcpNoDelay(true);
        Thread.ofVirtual().start(() -> serve(s));
      } catch (IOException e) {
        if (open) {
          System.err.println("upstream: accept failed: " + e.getMessage());
        }
      }
    }
  }

  /** Answers the requests of one connection until the client closes it. */
  private void serve(Socket s) {
    try (s; InputStream in = new BufferedInputStream(s.getInputStream(), 16 * 1024); OutputStream out = s.getOutputStream()) {
      while (true) {
        long body = readHead(in);
        if (body < 0) {
          return;
        }
        in.skipNBytes(body);
        long sleep = latencyMillis;
        if (sleep > 0) {
          Thread.sleep(sleep);
        }
        out.write(answer);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // the client went away
    }
  }

  /** Reads one request head; returns its Content-Length (0 when none), or -1 at the end of the connection. */
  private static long readHead(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder(64);
    long length = 0;
    boolean first = true;
    while (true) {
      int c = in.read();
      if (c < 0) {
        return -1;
      }
      if (c == '\r') {
        continue;
      }
      if (c != '\n') {
        line.append((char) c);
        continue;
      }
      if (line.isEmpty()) {
        if (first) {
          continue;
        }
        return length;
      }
      first = false;
      if (line.length() > 15 && line.substring(0, 15).equalsIgnoreCase("content-length:")) {
        length = Long.parseLong(line.substring(15).trim());
      }
      line.setLength(0);
    }
  }

  /** A users page as Graph writes it, padded to exactly {@link #PAGE_BYTES}. */
  static byte[] page() {
    StringBuilder b = new StringBuilder("{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#users\",\"value\":[");
    String[] names = {"Adele Vance", "Alex Wilber", "Diego Siciliani", "Grady Archie", "Isaiah Langer", "Johanna Lorenz", "Lee Gu"};
    for (int i = 0; i < names.length; i++) {
      String upn = names[i].toLowerCase().replace(' ', '.') + "@contoso.onmicrosoft.com";
      b.append(i == 0 ? "" : ",").append("{\"businessPhones\":[\"+1 425 555 0109\"],\"displayName\":\"").append(names[i])
          .append("\",\"jobTitle\":\"Retail Manager\",\"mail\":\"").append(upn).append("\",\"officeLocation\":\"18/2111\",")
          .append("\"userPrincipalName\":\"").append(upn).append("\",\"id\":\"87d349ed-44d7-43e1-9a83-5f2406dee5d").append(i).append("\"}");
    }
    b.append("],\"@odata.nextLink\":\"https://graph.microsoft.com/v1.0/users?$skiptoken=RFNwdAIAAQAAAB86");
    String tail = "\"}";
    while (b.length() + tail.length() < PAGE_BYTES) {
      b.append('x');
    }
    byte[] bytes = b.append(tail).toString().getBytes(StandardCharsets.UTF_8);
    if (bytes.length != PAGE_BYTES) {
      throw new IllegalStateException("page is " + bytes.length + " bytes");
    }
    return bytes;
  }

  @Override
  public void close() {
    open = false;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
