package dev.graphgate.server.connect;

import dev.graphgate.server.entra.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a verified admin consent state proves: Graphgate issued it (id {@code id}, valid until {@code expiresAt}), for
 * one of two kinds of link. Each kind is signed for its own audience, so a state of one kind never verifies as the other.
 */
sealed interface ConsentState {
  String id();

  Instant expiresAt();

  /**
   * A link for connection {@code connectionId} (the row's id), whose tenant was {@code tenant}, named as the connection
   * names it (a GUID or a domain), and whose app was {@code clientId}.
   */
  record ForConnection(String id, TenantId tenant, long connectionId, String clientId, Instant expiresAt) implements ConsentState {
    public ForConnection {
      Objects.requireNonNull(id);
      Objects.requireNonNull(tenant);
      Objects.requireNonNull(clientId);
      Objects.requireNonNull(expiresAt);
    }
  }

  /**
   * A link made through connect session {@code sessionId} (the row's id) for the integration {@code integration} and
   * the app {@code clientId}, in {@code tenant} when the link named one (else the admin picked the tenant at Entra).
   * {@code purpose} says what an accepted grant leads to.
   */
  record ForSession(String id, long sessionId, String integration, String clientId, Optional<TenantId> tenant, Purpose purpose,
      Instant expiresAt) implements ConsentState {
    public ForSession {
      Objects.requireNonNull(id);
      Objects.requireNonNull(integration);
      Objects.requireNonNull(clientId);
      Objects.requireNonNull(tenant);
      Objects.requireNonNull(purpose);
      Objects.requireNonNull(expiresAt);
    }
  }

  /** What a session-bound link is for. */
  enum Purpose {
    /**
     * Onboarding with the integration's shared app: a grant creates the connection (with the session's tags and end
     * user), once a token for the tenant proves it.
     */
    ONBOARD,
    /**
     * Consent to the app whose credentials the end user entered and Entra refused for lack of consent: a grant is only
     * recorded (Graphgate holds no secret to prove it with); the end user then creates the connection again.
     */
    CONSENT;

    String claim() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Optional<Purpose> fromClaim(String claim) {
      for (Purpose p : values()) {
        if (p.claim().equals(claim)) {
          return Optional.of(p);
        }
      }
      return Optional.empty();
    }
  }
}
