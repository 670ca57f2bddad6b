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
 *       {@code tenant} must be that tenant (see {@link TenantMatching}); then the state is used up (once, across all
 *       instances), the connection's token is fetched again at once, bypassing the failure backoff, and the page lists
 *       the permissions that token carries. The tenant's other connections that were waiting for consent refresh on
 *       their next read.
 * </ol>
 *
 * A refused answer changes nothing, the state's use included, so a link stays usable until its own answer arrives. A
 * state made through a connect session is answered by {@link SessionConsent}, after the same signature and expiry
 * checks.
 */
public final class AdminConsentCallback {
  private static final Logger log = LoggerFactory.getLogger(AdminConsentCallback.class);

  private final ConsentStates states;
  private final ConsumedConsentStates consumed;
  private final ConnectionService connections;
  private final TokenService tokens;
  private final TenantMatching tenants;
  private final SessionConsent sessions;
  private final AdminConsentPages pages;
  private final InstantSource clock;

  AdminConsentCallback(ConsentStates states, ConsumedConsentStates consumed, ConnectionService connections, TokenService tokens,
      TenantMatching tenants, SessionConsent sessions, AdminConsentPages pages, InstantSource clock) {
    this.states = states;
    this.consumed = consumed;
    this.connections = connections;
    this.tokens = tokens;
    this.tenants = tenants;
    this.sessions = sessions;
    this.pages = pages;
    this.clock = clock;
  }

  /**
   * The callback of the links {@code links} hands out, for connections and for connect sessions; Entra's OpenID metadata
   * is read with {@code requestTimeout}.
   */
  public static AdminConsentCallback create(AdminConsentLinks links, Jdbi jdbi, ConnectionService connections, TokenService tokens,
      ConnectSessions connectSessions, SessionConnections sessionConnections, CloudConfig cloud, Duration requestTimeout, InstantSource clock) {
    TenantMatching tenants = new TenantMatching(new TenantDiscovery(cloud, EntraTokenClient.defaultHttpClient(Duration.ofSeconds(5)), requestTimeout));
    ConsumedConsentStates consumed = new ConsumedConsentStates(jdbi);
    AdminConsentPages pages = new AdminConsentPages(links.states().lifetime());
    SessionConsent sessions = new SessionConsent(connectSessions, sessionConnections, connections, consumed, tenants, links, pages, clock);
    return new AdminConsentCallback(links.states(), consumed, connections, tokens, tenants, sessions, pages, clock);
  }

  /**
   * {@code POST /connect/admin-consent}: the link with which a tenant's admin onboards to {@code integration}'s shared
   * app through {@code session} ({@link SessionConsent#onboardingLink}).
   */
  public String onboardingLink(ConnectSession session, String integration, Optional<String> tenant) {
    return sessions.onboardingLink(session, integration, tenant);
  }

  /** The script that tells the Connect UI the outcome of a session's admin consent, served at {@link #RESULT_SCRIPT}. */
  public static byte[] resultScript() {
    return SessionConsentPages.script();
  }

  /** Where {@link #resultScript()} is served. */
  public static final String RESULT_SCRIPT = SessionConsentPages.SCRIPT;

  /** The page for Entra's answer. */
  public HtmlPage answer(AdminConsentAnswer answer) {
    if (answer.state().isEmpty()) {
      return refused(Refusal.MISSING);
    }
    ConsentState.ForConnection state;
    switch (states.verify(answer.state().get())) {
      case ConsentStates.Check.Invalid invalid -> {
        return refused(invalid.reason());
      }
      case ConsentStates.Check.Valid(ConsentState.ForSession s) -> {
        return sessions.answer(s, answer);
      }
      case ConsentStates.Check.Valid(ConsentState.ForConnection c) -> state = c;
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

  private HtmlPage granted(ConsentState.ForConnection state, TenantId answered) {
    Optional<Connection> found = connections.reload(state.connectionId());
    if (found.isEmpty()) {
      return refused(Refusal.CONNECTION_GONE);
    }
    Connection c = found.get();
    if (!c.tenantId().equals(state.tenant()) || !c.credentials().clientId().equals(state.clientId())) {
      return refused(Refusal.CONNECTION_CHANGED);
    }
    switch (tenants.match(state.tenant(), answered)) {
      case TenantMatching.Match.Different d -> {
        return refused(Refusal.OTHER_TENANT);
      }
      case TenantMatching.Match.Unconfirmed u -> {
        return pages.tenantNotConfirmed(state.tenant().value(), u.reason());
      }
      case TenantMatching.Match.Same s -> { }
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

  static Optional<TenantId> tenantId(String raw) {
    try {
      return Optional.of(TenantId.parse(raw));
    } catch (InvalidTenantId e) {
      return Optional.empty();
    }
  }
}
