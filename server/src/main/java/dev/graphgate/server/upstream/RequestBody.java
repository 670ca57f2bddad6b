package dev.graphgate.server.upstream;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A proxied request's body. Small ones are held in memory ({@link Buffered}) so an attempt can be repeated and a
 * {@code $batch} inspected; larger ones ({@link Streamed}) go from the client's connection to upstream's as they
 * arrive, in constant memory, and can be sent only once.
 */
public sealed interface RequestBody {

  /** A publisher for one attempt; for {@link Streamed}, only the first call succeeds. */
  BodyPublisher publisher();

  boolean replayable();

  /** Bytes handed to upstream so far (over every attempt of a replayed body: the last attempt's length). */
  long bytesSent();

  /** No body (GET, HEAD, DELETE without one). */
  record None() implements RequestBody {
    @Override
    public BodyPublisher publisher() {
      return BodyPublishers.noBody();
    }

    @Override
    public boolean replayable() {
      return true;
    }

    @Override
    public long bytesSent() {
      return 0;
    }
  }

  /** The whole body, in memory. */
  record Buffered(byte[] bytes) implements RequestBody {
    @Override
    public BodyPublisher publisher() {
      return BodyPublishers.ofByteArray(bytes);
    }

    @Override
    public boolean replayable() {
      return true;
    }

    @Override
    public long bytesSent() {
      return bytes.length;
    }
  }

  /** Read from the client while it is sent; {@code length} is the Content-Length when known, else -1 (chunked). */
  final class Streamed implements RequestBody {
    private final InputStream in;
    private final long length;
    private final AtomicBoolean used = new AtomicBoolean();
    private final LongAdder sent = new LongAdder();

    Streamed(InputStream in, long length) {
      this.in = in;
      this.length = length;
    }

    @Override
    public BodyPublisher publisher() {
      if (!used.compareAndSet(false, true)) {
        throw new IllegalStateException("a streamed request body can be sent only once");
      }
      InputStream counting = new FilterInputStream(in) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          if (b >= 0) {
            sent.increment();
          }
          return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n > 0) {
            sent.add(n);
          }
          return n;
        }

        @Override
        public void close() {
          // The servlet container owns the client's stream.
        }
      };
      StreamingPublisher p = new StreamingPublisher(counting);
      return length >= 0 ? BodyPublishers.fromPublisher(p, length) : BodyPublishers.fromPublisher(p);
    }

    @Override
    public boolean replayable() {
      return false;
    }

    @Override
    public long bytesSent() {
      return sent.sum();
    }
  }

  /**
   * Reads the client's body: none when it declares none; held in memory when it fits in {@code replayLimit} bytes
   * (a chunked body is read up to that limit to find out); otherwise streamed.
   *
   * @param contentLength the declared length, -1 when the client sends it chunked or did not say
   * @param declared whether the request declares a body at all (a length or a transfer encoding)
   */
  static RequestBody read(InputStream in, long contentLength, boolean declared, int replayLimit) throws IOException {
    if (!declared || contentLength == 0) {
      return new None();
    }
    if (contentLength > 0) {
      if (contentLength <= replayLimit) {
        byte[] all = in.readNBytes((int) contentLength);
        if (all.length < contentLength) {
          throw new IOException("the client sent " + all.length + " of the " + contentLength + " bytes it announced");
        }
        return new Buffered(all);
      }
      return new Streamed(in, contentLength);
    }
    byte[] start = in.readNBytes(replayLimit + 1);
    if (start.length <= replayLimit) {
      return start.length == 0 ? new None() : new Buffered(start);
    }
    return new Streamed(new SequenceInputStream(new ByteArrayInputStream(Arrays.copyOf(start, start.length)), in), -1);
  }
}
