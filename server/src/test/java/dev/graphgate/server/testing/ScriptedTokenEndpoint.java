package dev.graphgate.server.testing;

import dev.graphgate.server.auth.TokenEndpoint;
import dev.graphgate.server.auth.TokenOutcome;
import dev.graphgate.server.auth.TokenRequest;
import dev.graphgate.server.secret.Secret;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A token endpoint scripted by the test, for the token service's own logic (caching, single flight, bookkeeping);
 * the end-to-end tests run against the emulator. Counts requests and can be slowed down to make callers overlap.
 */
public final class ScriptedTokenEndpoint implements TokenEndpoint {
  private final AtomicInteger requests = new AtomicInteger();
  private final List<TokenRequest> seen = Collections.synchronizedList(new ArrayList<>());
  private volatile Function<Integer, TokenOutcome> script = n -> issued(List.of("User.Read.All"), 3599);
  private volatile long delayMillis;

  @Override
  public TokenOutcome requestToken(TokenRequest request) {
    int n = requests.incrementAndGet();
    seen.add(request);
    if (delayMillis > 0) {
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return script.apply(n);
  }

  public ScriptedTokenEndpoint answer(Function<Integer, TokenOutcome> s) {
    script = s;
    return this;
  }

  public ScriptedTokenEndpoint delay(long millis) {
    delayMillis = millis;
    return this;
  }

  public int requests() {
    return requests.get();
  }

  public List<TokenRequest> seen() {
    return List.copyOf(seen);
  }

  public static TokenOutcome issued(List<String> roles, long expiresIn) {
    Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
    String claims = "{\"aud\":\"https://graph.microsoft.com\",\"jti\":\"" + java.util.UUID.randomUUID() + "\""
        + (roles == null ? "" : ",\"roles\":[" + String.join(",", roles.stream().map(r -> "\"" + r + "\"").toList()) + "]") + "}";
    String token = b.encodeToString("{\"alg\":\"none\"}".getBytes()) + "." + b.encodeToString(claims.getBytes()) + ".";
    String raw = "{\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + ",\"ext_expires_in\":" + expiresIn + ",\"access_token\":\"" + token + "\"}";
    return new TokenOutcome.Issued(Secret.of(token), Secret.of(raw), expiresIn, Optional.empty());
  }

  public static TokenOutcome rejected(int status, String error, int aadsts, String message) {
    return new TokenOutcome.Rejected(status, error, List.of(aadsts),
        "AADSTS" + aadsts + ": " + message + "\r\nTrace ID: 1\r\nCorrelation ID: 2\r\nTimestamp: 2026-01-01 00:00:00Z");
  }

  public static TokenOutcome unavailable() {
    return new TokenOutcome.Unavailable("the token endpoint answered HTTP 503", Optional.empty());
  }
}
