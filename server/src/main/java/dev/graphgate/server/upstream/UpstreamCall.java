package dev.graphgate.server.upstream;

import dev.graphgate.server.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One HTTP exchange with upstream over the shared JDK HttpClient: the response comes back as soon as its headers
 * arrive, with the body still streaming. Never throws for a failed exchange: it returns {@link UpstreamOutcome}.
 * Plain-http upstreams (the emulator, on this machine) are spoken to in HTTP/1.1, so the client never tries an h2c
 * upgrade; https may negotiate HTTP/2.
 */
public final class UpstreamCall {
  /** Answers up to this size that announce their length are received whole before the call returns. */
  static final int SMALL_ANSWER = 64 * 1024;

  /**
   * Small answers of known length (most Graph pages) are received whole, then read from memory: fewer hand-offs
   * between the client's threads and the caller than a stream read piece by piece. Anything larger, or of unknown
   * length, streams.
   */
  private static final HttpResponse.BodyHandler<InputStream> BODY = info -> {
    long length = info.headers().firstValueAsLong("content-length").orElse(-1);
    return length >= 0 && length <= SMALL_ANSWER
        ? HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(), java.io.ByteArrayInputStream::new)
        : HttpResponse.BodySubscribers.ofInputStream();
  };

  private static final long RESOLVE_AGAIN_NANOS = 10_000_000_000L;

  private final HttpClient http;
  private final Duration timeout;
  private final java.util.concurrent.ConcurrentMap<String, Long> resolvedAt = new java.util.concurrent.ConcurrentHashMap<>();

  public UpstreamCall(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
  }

  /**
   * The shared client: no redirects followed by the client (the proxy checks each hop), the configured connect
   * timeout, HTTP/2 where TLS offers it. The JDK pools HTTP/1.1 connections per origin without a fixed cap, so 64 or
   * more concurrent callers each keep a connection alive.
   *
   * <p>Its tasks run on the thread that makes them ready (in practice its selector thread) instead of being handed to a
   * worker pool: each answer then costs one thread hand-off less, which on a small machine is most of the proxy's
   * overhead (measured: about 1.7 times the throughput at 64 callers, see benchmarks/README.md). That is safe only
   * because nothing the proxy gives the client blocks: streamed request bodies are read on their own virtual thread
   * ({@link StreamingPublisher}), answers are consumed by the calling virtual thread, and host names are resolved on
   * the calling thread first ({@link #resolveAhead}).
   */
  public static HttpClient newHttpClient(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .executor(Runnable::run)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_2)
        .build();
  }

  public UpstreamOutcome send(Target target, String method, Map<String, List<String>> headers, RequestBody body) {
    resolveAhead(target.uri().getHost());
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(target.uri()).timeout(timeout).method(method, body.publisher());
      if (target.plainHttp()) {
        b.version(HttpClient.Version.HTTP_1_1);
      }
      headers.forEach((name, values) -> values.forEach(v -> b.header(name, v)));
      HttpResponse<InputStream> r = http.send(b.build(), BODY);
      // A body received whole cannot stall; one still streaming is watched for pauses as long as the headers' timeout.
      InputStream answer = r.body() instanceof java.io.ByteArrayInputStream ? r.body() : new IdleTimeoutInputStream(r.body(), timeout);
      return new UpstreamOutcome.Answered(r.statusCode(), r.headers(), answer);
    } catch (HttpConnectTimeoutException e) {
      return new UpstreamOutcome.TransportFailed(ErrorCode.ETIMEDOUT, "connecting to " + target.origin() + " timed out", false);
    } catch (HttpTimeoutException e) {
      return new UpstreamOutcome.TransportFailed(ErrorCode.ETIMEDOUT, target.origin() + " did not answer within " + timeout.toMillis() + " ms", true);
    } catch (ConnectException e) {
      return new UpstreamOutcome.TransportFailed(ErrorCode.ECONNREFUSED, "the connection to " + target.origin() + " was refused", false);
    } catch (IOException e) {
      if (causedBy(e, UnknownHostException.class) || causedBy(e, UnresolvedAddressException.class)) {
        return new UpstreamOutcome.TransportFailed(ErrorCode.EAI_AGAIN, "the name " + target.uri().getHost() + " could not be resolved", false);
      }
      return new UpstreamOutcome.TransportFailed(ErrorCode.ECONNRESET, "the connection to " + target.origin() + " failed: "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new UpstreamOutcome.TransportFailed(ErrorCode.ECONNABORTED, "interrupted while waiting for " + target.origin(), true);
    } catch (IllegalArgumentException e) {
      // A header the HTTP client refuses (a restricted name, a control character in a value). Its message quotes the
      // value, which may be the token: never passed on.
      return new UpstreamOutcome.TransportFailed(ErrorCode.EINVAL, "the request could not be sent: the HTTP client refused one of its headers"
          + " (a restricted name, or a value with control characters, such as an imported token)", false);
    } catch (IllegalStateException e) {
      // A streamed body already consumed by an earlier attempt.
      return new UpstreamOutcome.TransportFailed(ErrorCode.EINVAL, "the request could not be sent: " + e.getMessage(), false);
    }
  }

  /**
   * Looks the host up on the calling (virtual) thread when its answer may have left the JVM's cache (30 s by default),
   * so the client's own lookup, which may run on its selector thread, finds it cached. A failure is left for the
   * client to report.
   */
  private void resolveAhead(String host) {
    if (host == null || host.startsWith("[") || Character.isDigit(host.charAt(host.length() - 1)) || host.equals("localhost")) {
      return;
    }
    long now = System.nanoTime();
    Long last = resolvedAt.get(host);
    if (last != null && now - last < RESOLVE_AGAIN_NANOS) {
      return;
    }
    resolvedAt.put(host, now);
    try {
      java.net.InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      resolvedAt.remove(host);
    }
  }

  private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }
}
