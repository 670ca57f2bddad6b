package dev.graphgate.server.connect;

import dev.graphgate.server.GraphgateException;
import dev.graphgate.server.GraphgateException.UnknownProviderConfig;
import dev.graphgate.server.connection.ConnectionService;
import dev.graphgate.server.entra.TenantId;
import dev.graphgate.server.integration.AppCredentials;
import dev.graphgate.server.integration.Integration;
import dev.graphgate.server.provider.AuthMode;
import dev.graphgate.server.web.HtmlPage;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin consent through a connect session: the link the Connect UI's "Grant access as an administrator" opens
 * ({@link #onboardingLink}), and the callback's answer to a state such a link carries ({@link #answer}). A grant is
 * believed as far as the state proves: the session must still be there, the integration must still hold the shared app
 * the link named, and Entra's tenant must be the link's when it named one; then the state is used up (once, across
 * instances), a token of the shared app in the tenant proves the grant, and the connection is created with the
 * session's tags and end user. Every other answer creates nothing. A page built once the state is verified carries the
 * result for the Connect UI that opened it ({@link SessionConsentPages}).
 */
final class SessionConsent {
  private static final Logger log = LoggerFactory.getLogger(SessionConsent.class);

  private final ConnectSessions sessions;
  private final SessionConnections creations;
  private final ConnectionService connections;
  private final ConsumedConsentStates consumed;
  private final TenantMatching tenants;
  private final AdminConsentLinks links;
  private final SessionConsentPages pages;
  private final AdminConsentPages common;
  private final InstantSource clock;

  SessionConsent(ConnectSessions sessions, SessionConnections creations, ConnectionService connections, ConsumedConsentStates consumed,
      TenantMatching tenants, AdminConsentLinks links, AdminConsentPages common, InstantSource clock) {
    this.sessions = sessions;
    this.creations = creations;
    this.connections = connections;
    this.consumed = consumed;
    this.tenants = tenants;
    this.links = links;
    this.pages = new SessionConsentPages(links::redirectUri);
    this.common = common;
    this.clock = clock;
  }

  /** The page for Entra's answer to a link made through a connect session. */
  HtmlPage answer(ConsentState.ForSession state, AdminConsentAnswer answer) {
    if (answer.error().isPresent()) {
      if (!consumed.consume(state, clock.instant())) {
        return refused(Refusal.USED);
      }
      log.info("admin consent through connect session {} not granted (Entra answered an error); nothing was created", state.sessionId());
      return pages.notGranted(state.purpose(), answer.error().get(), answer.errorDescription());
    }
    Optional<TenantId> answered = answer.claimsGrant() ? AdminConsentCallback.tenantId(answer.tenant().get()) : Optional.empty();
    if (answered.isEmpty()) {
      return common.notAnAnswer();
    }
    Optional<ConnectSession> session = sessions.find(state.sessionId());
    if (session.isEmpty()) {
      return refused(Refusal.SESSION_GONE);
    }
    if (state.tenant().isPresent()) {
      switch (tenants.match(state.tenant().get(), answered.get())) {
        case TenantMatching.Match.Different d -> {
          return refused(Refusal.OTHER_TENANT);
        }
        case TenantMatching.Match.Unconfirmed u -> {
          return common.tenantNotConfirmed(state.tenant().get().value(), u.reason());
        }
        case TenantMatching.Match.Same s -> { }
      }
    }
    // The link's tenant as the link (and the session's presets) named it; else the one the admin picked at Entra.
    TenantId tenant = state.tenant().orElse(answered.get());
    return switch (state.purpose()) {
      case CONSENT -> consentRecorded(state, tenant, answered.get());
      case ONBOARD -> onboard(state, session.get(), tenant, answered.get());
    };
  }

  private HtmlPage consentRecorded(ConsentState.ForSession state, TenantId tenant, TenantId answered) {
    if (!consumed.consume(state, clock.instant())) {
      return refused(Refusal.USED);
    }
    broughtForward(tenant, answered);
    log.info("admin consent through connect session {} recorded for the app the end user entered", state.sessionId());
    return pages.consentRecorded(shown(tenant, answered), state.clientId());
  }

  private HtmlPage onboard(ConsentState.ForSession state, ConnectSession session, TenantId tenant, TenantId answered) {
    Optional<Integration> integration = creations.integration(state.integration())
        .filter(i -> i.sharedCredentials().map(AppCredentials::clientId).map(state.clientId()::equals).orElse(false));
    if (integration.isEmpty()) {
      return refused(Refusal.INTEGRATION_CHANGED);
    }
    if (!consumed.consume(state, clock.instant())) {
      return refused(Refusal.USED);
    }
    SessionConnections.Outcome outcome;
    try {
      creations.requireUsable(session, integration.get(), AuthMode.OAUTH2_CC);
      outcome = creations.onboard(session, integration.get(), tenant);
    } catch (GraphgateException e) {
      log.info("admin consent through connect session {}: no connection created ({})", state.sessionId(), e.code());
      return pages.notConnected(e.code(), e.getMessage(), e.status());
    }
    String shown = shown(tenant, answered);
    return switch (outcome) {
      case SessionConnections.Outcome.Created c -> {
        broughtForward(tenant, answered).remove(c.connection().id());
        log.info("admin consent through connect session {} created connection {} of {}", state.sessionId(), c.connection().connectionId(),
            c.connection().integrationKey());
        yield pages.connected(c.connection(), shown);
      }
      case SessionConnections.Outcome.Refused r -> {
        log.info("admin consent through connect session {}: no connection created ({})", state.sessionId(), r.status().wireName());
        yield pages.notConnected(r.status().wireName(), r.message(), 200);
      }
      case SessionConnections.Outcome.Unavailable u -> {
        log.info("admin consent through connect session {}: no connection created (Entra unavailable)", state.sessionId());
        yield pages.notConnected("token_endpoint_unavailable", u.message() + " The consent is recorded at Microsoft: grant access again in "
            + "a minute to create the connection.", 503);
      }
    };
  }

  /**
   * {@code POST /connect/admin-consent}: the admin consent link for onboarding a tenant to {@code integrationKey}'s
   * shared app through {@code session}. The tenant is the session's preset, else {@code tenant} as sent, else the
   * tenant of a reconnect session's connection; without one, the admin picks it at Entra.
   */
  String onboardingLink(ConnectSession session, String integrationKey, Optional<String> tenant) {
    Integration integration = creations.integration(integrationKey)
        .orElseThrow(() -> new UnknownProviderConfig("There is no integration '" + integrationKey + "'."));
    creations.requireUsable(session, integration, AuthMode.OAUTH2_CC);
    String clientId = SessionConnections.sharedCredentials(integration).clientId();
    Map<String, String> presets = new LinkedHashMap<>(session.terms().presets(integration.uniqueKey()));
    Optional<String> named = Optional.ofNullable(presets.get("tenantId")).or(() -> tenant)
        .or(() -> session.terms().reconnecting().flatMap(connections::reload).map(c -> c.tenantId().value()));
    Optional<TenantId> parsed = named.map(TenantId::parse);
    String scopes = SessionConnections.scopes(presets, integration);
    return links.forSession(session, integration.uniqueKey(), clientId, parsed, scopes, ConsentState.Purpose.ONBOARD);
  }

  /** The tenant's connections that waited for consent ask for a token again on their next read. */
  private Set<Long> broughtForward(TenantId tenant, TenantId answered) {
    Set<Long> waiting = new LinkedHashSet<>();
    new LinkedHashSet<>(List.of(tenant.value(), answered.value())).forEach(name -> waiting.addAll(connections.consentGranted(name)));
    return waiting;
  }

  private static String shown(TenantId tenant, TenantId answered) {
    return tenant.equals(answered) ? answered.value() : tenant.value() + " (" + answered.value() + ")";
  }

  private HtmlPage refused(Refusal reason) {
    log.info("admin consent answer for a connect session refused: {}", reason.name().toLowerCase(java.util.Locale.ROOT));
    return pages.refused(reason);
  }
}
