package dev.graphgate.emulator.entra;

import dev.graphgate.emulator.directory.Directory;
import dev.graphgate.emulator.keys.SigningKey;
import dev.graphgate.emulator.stats.EmulatorStats;
import dev.graphgate.emulator.token.RecentTokens;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Supplier;

/** The Entra ID endpoints of the login host: token, discovery, keys, admin consent, error lookup. */
public final class EntraRoutes {

  private final TokenEndpoint token;
  private final DiscoveryEndpoints discovery;
  private final AdminConsentPages consent;
  private final ErrorLookupPage errors;
  private final InstantSource clock;

  public EntraRoutes(
      Directory directory, RecentTokens tokens, SigningKey signingKey, EmulatorStats stats, Supplier<URI> graphUrl,
      InstantSource clock) {
    this.token = new TokenEndpoint(directory, tokens, stats, clock);
    this.discovery = new DiscoveryEndpoints(directory, signingKey, graphUrl, clock);
    this.consent = new AdminConsentPages(directory, clock);
    this.errors = new ErrorLookupPage(clock);
    this.clock = clock;
  }

  public void register(RoutesConfig routes) {
    // Other verbs reach the token endpoints too, so that they answer AADSTS900561 rather than a bare 404.
    for (HandlerType method : List.of(HandlerType.POST, HandlerType.GET, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE)) {
      routes.addHttpHandler(method, TokenEndpoint.V2_PATH, token::handleV2);
      routes.addHttpHandler(method, TokenEndpoint.V1_PATH, token::handleV1);
    }
    routes.get(DiscoveryEndpoints.V2_METADATA, discovery::openIdConfigurationV2);
    routes.get(DiscoveryEndpoints.V1_METADATA, discovery::openIdConfigurationV1);
    routes.get(DiscoveryEndpoints.V2_KEYS, discovery::keys);
    routes.get(DiscoveryEndpoints.V1_KEYS, discovery::keys);
    routes.get(DiscoveryEndpoints.INSTANCE_DISCOVERY, discovery::instanceDiscovery);
    routes.get(AdminConsentPages.V2_PATH, consent::showV2);
    routes.post(AdminConsentPages.V2_PATH, consent::decideV2);
    routes.get(AdminConsentPages.V1_PATH, consent::showV1);
    routes.post(AdminConsentPages.V1_PATH, consent::decideV1);
    routes.get(ErrorLookupPage.PATH, errors::show);
    // A handler that let an Entra error escape still answers in Entra's shape.
    routes.exception(EntraException.class, (e, ctx) -> EntraResponses.error(ctx, RequestIds.of(ctx, clock.instant()), e));
  }
}
