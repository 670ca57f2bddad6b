package dev.graphgate.server.upstream;

import dev.graphgate.server.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;

/** What one attempt came to. The caller must handle both; neither is an exception. */
public sealed interface UpstreamOutcome {

  /**
   * Upstream answered, with any status. The body is still on the wire: read it to the end or {@link #discard()} it,
   * so the connection can be reused.
   */
  record Answered(int status, HttpHeaders headers, InputStream body) implements UpstreamOutcome {
    public java.util.Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    /** Reads up to {@code max} bytes of the body and closes it: for answers that are not passed on. */
    public String discard(int max) {
      try (InputStream in = body) {
        byte[] start = in.readNBytes(max);
        in.skip(Long.MAX_VALUE);
        return new String(start, java.nio.charset.StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    }

    public void discard() {
      discard(0);
    }
  }

  /**
   * No answer. {@code code} is Nango's name for the failure (one of {@link ErrorCode#network()}: {@code ECONNREFUSED},
   * {@code ECONNRESET}, {@code ETIMEDOUT}, {@code EAI_AGAIN} ...); {@code sent} says whether upstream may have received
   * the request (a refused or unresolvable connection never did).
   */
  record TransportFailed(ErrorCode code, String detail, boolean sent) implements UpstreamOutcome {}
}
