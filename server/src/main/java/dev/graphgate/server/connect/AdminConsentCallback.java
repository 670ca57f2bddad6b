package dev.graphgate.server.connect;

import dev.graphgate.server.GraphgateException.InvalidTenantId;
import dev.graphgate.server.auth.EntraTokenClient;
import dev.graphgate.server.auth.TokenAnswer;
import dev.graphgate.server.auth.TokenService;
import dev.graphgate.server.config.CloudConfig;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.connection.ConnectionService;
import dev.graphgate.server.entra.TenantId;
import dev.graphgate.server.web.HtmlPage;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where Entra sends the tenant's admin back after admin consent ({@link AdminConsentLinks#CALLBACK}). Anyone can open
 * it with any query, so the answer is believed only as far as its {@code state} proves, and the state is checked before
 * anything is said about a tenant:
 *
 * <ol>
 *   <li>no state, or one this Graphgate did not sign (forged, altered), or expired: refused, nothing changes;
 *   <li>an error (Cancel): the state is used up, and the page says nothing was granted;
 *   <li>a grant: the connection the state names must still exist with the state's tenant and app, and Entra's
 *       {@code tenant} must be that tenant (see {@link #sameTenant}); then the state is used up (once, across all
 *       instances), the connection's token is fetched again at once, bypassing the failure backoff, and the page lists
 *       the permissions that token carries. The tenant's other connections that were waiting for consent refresh on
 *       their next read.
 * </ol>
 *
 * A refused answer changes nothing, the state's use included, so a link stays usable until its own answer arrives.
 */
public final class AdminConsentCallback {
  private static final Logger log = LoggerFactory.getLogger(AdminConsentCallback.class);

  private final ConsentStates states;
  private final ConsumedConsentStates consumed;
  private final ConnectionService connections;
  private final TokenService tokens;
  private final TenantDiscovery discovery;
  private final AdminConsentPages pages;
  private final InstantSource clock;

  AdminConsentCallback(ConsentStates states, ConsumedConsentStates consumed, ConnectionService connections, TokenService tokens,
      TenantDiscovery discovery, InstantSource clock) {
    this.states = states;
    this.consumed = consumed;
    this.connections = connections;
    this.tokens = tokens;
    this.discovery = discovery;
    this.pages = new AdminConsentPages(states.lifetime());
    this.clock = clock;
  }

  /** The callback of the links {@code links} hands out; Entra's OpenID metadata is read with {@code requestTimeout}. */
  public static AdminConsentCallback create(AdminConsentLinks links, Jdbi jdbi, ConnectionService connections, TokenService tokens,
      CloudConfig cloud, Duration requestTimeout, InstantSource clock) {
    TenantDiscovery discovery = new TenantDiscovery(cloud, EntraTokenClient.defaultHttpClient(Duration.ofSeconds(5)), requestTimeout);
    return new AdminConsentCallback(links.states(), new ConsumedConsentStates(jdbi), connections, tokens, discovery, clock);
  }

  /** The page for Entra's answer. */
  public HtmlPage answer(AdminConsentAnswer answer) {
    if (answer.state().isEmpty()) {
      return refused(Refusal.MISSING);
    }
    ConsentState state;
    switch (states.verify(answer.state().get())) {
      case ConsentStates.Check.Invalid invalid -> {
        return refused(invalid.reason());
      }
      case ConsentStates.Check.Valid valid -> state = valid.state();
    }
    if (answer.error().isPresent()) {
      if (!consumed.consume(state, clock.instant())) {
        return refused(Refusal.USED);
      }
      log.info("admin consent not granted (Entra answered an error) for the connection with row id {}", state.connectionId());
      return pages.notGranted(answer.error().get(), answer.errorDescription());
    }
    Optional<TenantId> answered = answer.claimsGrant() ? tenantId(answer.tenant().get()) : Optional.empty();
    if (answered.isEmpty()) {
      return pages.notAnAnswer();
    }
    return granted(state, answered.get());
  }

  private HtmlPage granted(ConsentState state, TenantId answered) {
    Optional<Connection> found = connections.reload(state.connectionId());
    if (found.isEmpty()) {
      return refused(Refusal.CONNECTION_GONE);
    }
    Connection c = found.get();
    if (!c.tenantId().equals(state.tenant()) || !c.credentials().clientId().equals(state.clientId())) {
      return refused(Refusal.CONNECTION_CHANGED);
    }
    switch (sameTenant(state.tenant(), answered)) {
      case TenantMatch.Different d -> {
        return refused(Refusal.OTHER_TENANT);
      }
      case TenantMatch.Unconfirmed u -> {
        return pages.tenantNotConfirmed(state.tenant().value(), u.reason());
      }
      case TenantMatch.Same s -> { }
    }
    if (!consumed.consume(state, clock.instant())) {
      return refused(Refusal.USED);
    }
    // Connections may name the tenant by the domain the link named or by the GUID Entra answered: both are the tenant.
    Set<String> names = new LinkedHashSet<>(List.of(state.tenant().value(), answered.value()));
    Set<Long> waiting = new LinkedHashSet<>();
    names.forEach(name -> waiting.addAll(connections.consentGranted(name)));
    waiting.remove(c.id());
    TokenAnswer token = tokens.token(connections.reload(c.id()).orElse(c), true);
    log.info("admin consent granted for connection {} of {}; token request after it: {}", c.connectionId(), c.integrationKey(),
        token.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
    String shown = state.tenant().equals(answered) ? answered.value() : state.tenant().value() + " (" + answered.value() + ")";
    return pages.granted(shown, c.credentials().clientId(), token, waiting.size());
  }

  /** The page for a refused answer; the log says why (never the state itself). */
  private HtmlPage refused(Refusal reason) {
    log.info("admin consent answer refused: {}", reason.name().toLowerCase(java.util.Locale.ROOT));
    return pages.refused(reason);
  }

  /** Whether Entra's {@code tenant} is the tenant the link was made for. */
  private sealed interface TenantMatch {
    record Same() implements TenantMatch {}

    record Different() implements TenantMatch {}

    record Unconfirmed(String reason) implements TenantMatch {}
  }

  /**
   * The rule: Entra answers with the tenant's GUID even when the link named a domain. So the answer is the link's
   * tenant when it names it exactly (GUID or domain, as parsed: lower case), or, when the link named a domain, when it
   * is the GUID that Entra's own OpenID metadata for that domain names. A link made for a GUID accepts only that GUID.
   * When the metadata cannot be read, nothing is decided (the admin reloads the page).
   */
  private TenantMatch sameTenant(TenantId linked, TenantId answered) {
    if (linked.equals(answered)) {
      return new TenantMatch.Same();
    }
    if (linked.isGuid() || !answered.isGuid()) {
      return new TenantMatch.Different();
    }
    return switch (discovery.guidOf(linked)) {
      case TenantDiscovery.Result.Found f -> f.tenantGuid().equals(answered.value()) ? new TenantMatch.Same() : new TenantMatch.Different();
      case TenantDiscovery.Result.NotFound n -> new TenantMatch.Different();
      case TenantDiscovery.Result.Unavailable u -> new TenantMatch.Unconfirmed(u.reason());
    };
  }

  private static Optional<TenantId> tenantId(String raw) {
    try {
      return Optional.of(TenantId.parse(raw));
    } catch (InvalidTenantId e) {
      return Optional.empty();
    }
  }
}
