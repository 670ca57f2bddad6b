package dev.graphgate.server.proxy;

import dev.graphgate.server.upstream.UpstreamOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * The answer a proxied call settled on, ready to stream to the client: upstream's status and headers (filtered by
 * {@link HeaderRules}), then the body copied in constant memory (a 16 KiB buffer), decoded when the caller asked for
 * {@code Decompress} and with {@code @odata} links rewritten when it asked for that. When the body is done (or the
 * client has gone), the throttle gates are released, the upstream stream is closed and the request log is told.
 */
public final class ProxyExchange {
  private static final int BUFFER = 16 * 1024;

  private final UpstreamOutcome.Answered answer;
  private final boolean decode;
  private final Optional<String[]> rewrite;
  private final Runnable release;
  private final Consumer<Completion> done;
  private final Map<String, String> added;

  /** How the body ended: bytes written to the client, and the failure if it did not end cleanly. */
  public record Completion(int status, long bytesWritten, Optional<String> upstreamRequestId, Optional<String> error) {}

  /** {@code added}: Graphgate's own headers, after upstream's (the permission hint of a 403). */
  ProxyExchange(UpstreamOutcome.Answered answer, boolean decode, Optional<String[]> rewrite, Runnable release, Consumer<Completion> done,
      Map<String, String> added) {
    this.added = Map.copyOf(added);
    this.answer = answer;
    this.decode = decode;
    this.rewrite = rewrite;
    this.release = release;
    this.done = done;
  }

  public int status() {
    return answer.status();
  }

  /**
   * Writes status, headers and body. Throws {@link IOException} when the upstream body breaks off after the headers
   * went out: the client must then see a broken response, not a complete-looking short one.
   */
  public void writeTo(ResponseSink sink, boolean headOnly) throws IOException {
    long written = 0;
    Optional<String> error = Optional.empty();
    Optional<String> requestId = answer.header("request-id");
    try (InputStream upstream = answer.body()) {
      String encoding = answer.header("content-encoding").orElse("").trim().toLowerCase(Locale.ROOT);
      boolean decoding = decode && (encoding.equals("gzip") || encoding.equals("x-gzip") || encoding.equals("deflate"));
      boolean rewriting = rewrite.isPresent() && answer.header("content-type").map(t -> t.toLowerCase(Locale.ROOT).contains("json")).orElse(false)
          && (encoding.isEmpty() || encoding.equals("identity") || decoding);
      sink.status(answer.status());
      for (Map.Entry<String, List<String>> h : answer.headers().map().entrySet()) {
        if (!HeaderRules.copiedDownstream(h.getKey()) || (decoding && h.getKey().equalsIgnoreCase("content-encoding"))) {
          continue;
        }
        for (String v : h.getValue()) {
          sink.header(h.getKey(), v);
        }
      }
      added.forEach(sink::header);
      long length = answer.headers().firstValueAsLong("content-length").orElse(-1);
      if (length >= 0 && !decoding && !rewriting) {
        sink.contentLength(length);
      }
      if (headOnly) {
        return;
      }
      InputStream in = decoding ? (encoding.equals("deflate") ? new InflaterInputStream(upstream) : new GZIPInputStream(upstream, BUFFER)) : upstream;
      CountingOutputStream client = new CountingOutputStream(sink.body());
      LinkRewriter rewriter = rewriting ? new LinkRewriter(client, rewrite.get()[0], rewrite.get()[1]) : null;
      OutputStream out = rewriter != null ? rewriter : client;
      // Most answers are a small page of known length: no need to allocate (and zero) the full buffer for them.
      byte[] buffer = new byte[length > 0 && !decoding ? (int) Math.min(BUFFER, length) : BUFFER];
      int n;
      while (true) {
        try {
          n = in.read(buffer);
        } catch (IOException e) {
          error = Optional.of("ECONNRESET");
          throw new IOException("the upstream body broke off after " + client.count + " bytes", e);
        }
        if (n < 0) {
          break;
        }
        try {
          out.write(buffer, 0, n);
        } catch (IOException e) {
          error = Optional.of("client_closed");
          throw e;
        } finally {
          written = client.count;
        }
      }
      if (rewriter != null) {
        rewriter.finish();
      }
      // No flush: the container completes (and sends) the response when the handler returns, in one write for a
      // small answer; larger ones went out as the buffer filled.
      written = client.count;
    } finally {
      release.run();
      done.accept(new Completion(answer.status(), written, requestId, error));
    }
  }

  private static final class CountingOutputStream extends OutputStream {
    private final OutputStream out;
    long count;

    CountingOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }
  }
}
