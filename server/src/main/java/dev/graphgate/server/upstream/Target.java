package dev.graphgate.server.upstream;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one attempt goes, checked by {@link OutboundPolicy}, and which token it carries: {@code scope} empty means the
 * connection's own Graph token; a scope such as {@code https://contoso.sharepoint.com/.default} means a token for that
 * resource; {@code bearer} false means no token at all (a redirect to a pre-authenticated download URL on another host).
 *
 * @param origin {@code scheme://host[:port]} of {@code uri}
 * @param graph whether this is the cloud's Graph host (where {@code @odata} links may be rewritten)
 */
public record Target(URI uri, String origin, Optional<String> scope, boolean bearer, boolean graph) {
  public Target {
    Objects.requireNonNull(uri);
    Objects.requireNonNull(origin);
    Objects.requireNonNull(scope);
  }

  public boolean plainHttp() {
    return uri.getScheme().equalsIgnoreCase("http");
  }
}
