package dev.graphgate.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.GraphgateException.FieldError;
import dev.graphgate.server.GraphgateException.InvalidRequest;
import dev.graphgate.server.Json;
import dev.graphgate.server.connect.ConnectSession;
import dev.graphgate.server.integration.AppCredentials;
import dev.graphgate.server.integration.Integration;
import dev.graphgate.server.integration.IntegrationDraft;
import dev.graphgate.server.integration.IntegrationService;
import dev.graphgate.server.provider.Provider;
import dev.graphgate.server.provider.ProviderRegistry;
import dev.graphgate.server.secret.Secret;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The integrations routes: list, get (with {@code include}), create, update, delete. */
final class IntegrationsHandler {
  private static final Set<String> CREATE_KEYS = Set.of("unique_key", "provider", "display_name", "forward_webhooks", "credentials", "integration_config", "custom");
  private static final Set<String> UPDATE_KEYS = Set.of("unique_key", "display_name", "forward_webhooks", "credentials", "integration_config", "custom");
  private static final Set<String> CREDENTIAL_KEYS = Set.of("type", "client_id", "client_secret", "scopes", "webhook_secret");

  private final IntegrationService integrations;
  private final ProviderRegistry providers;
  private final ApiJson json;

  IntegrationsHandler(IntegrationService integrations, ProviderRegistry providers, ApiJson json) {
    this.integrations = integrations;
    this.providers = providers;
    this.json = json;
  }

  /** With a connect session's token, only the integrations the session allows. */
  void list(Context ctx) {
    Requests.onlyQuery(ctx, Set.of(), Set.of());
    ObjectNode body = Json.object();
    ArrayNode data = body.putArray("data");
    Optional<ConnectSession> session = SessionAuthenticator.session(ctx);
    integrations.list().stream().filter(i -> session.map(s -> s.terms().allows(i.uniqueKey())).orElse(true))
        .forEach(i -> data.add(json.integration(i, integrations.providerOf(i), false, false)));
    Responses.json(ctx, 200, body);
  }

  void get(Context ctx) {
    Requests.onlyQuery(ctx, Set.of("include"), Set.of());
    String key = uriKey(ctx);
    List<String> include = ctx.queryParams("include");
    for (String inc : include) {
      if (!inc.equals("webhook") && !inc.equals("credentials")) {
        throw InvalidRequest.query(FieldError.Kind.INVALID_VALUE, "Invalid option: expected one of \"webhook\"|\"credentials\"", "include");
      }
    }
    Integration i = integrations.require(key);
    ObjectNode body = Json.object();
    body.set("data", json.integration(i, integrations.providerOf(i), include.contains("webhook"), include.contains("credentials")));
    Responses.json(ctx, 200, body);
  }

  void create(Context ctx) {
    Requests.onlyQuery(ctx, Set.of(), Set.of());
    Fields f = Fields.body(Requests.jsonObject(ctx), CREATE_KEYS);
    String key = f.requiredString("unique_key", 1, 255);
    String provider = f.requiredString("provider", 1, 255);
    if (provider != null && !provider.matches("[a-zA-Z0-9_-]+")) {
      f.invalid("Invalid provider", "provider");
    }
    IntegrationDraft draft = draft(f, key, provider, providers.find(provider == null ? "" : provider));
    Integration created = integrations.create(draft);
    ObjectNode body = Json.object();
    body.set("data", json.integration(created, integrations.providerOf(created), false, false));
    Responses.json(ctx, 200, body);
  }

  void update(Context ctx) {
    Requests.onlyQuery(ctx, Set.of(), Set.of());
    String key = uriKey(ctx);
    Fields f = Fields.body(Requests.jsonObject(ctx), UPDATE_KEYS);
    String newKey = f.string("unique_key", 1, 255).orElse(null);
    Integration updated = integrations.update(key, provider -> draft(f, newKey, null, Optional.of(provider)));
    ObjectNode body = Json.object();
    body.set("data", json.integration(updated, integrations.providerOf(updated), false, false));
    Responses.json(ctx, 200, body);
  }

  void delete(Context ctx) {
    Requests.onlyQuery(ctx, Set.of(), Set.of());
    Requests.noBody(ctx);
    integrations.delete(uriKey(ctx));
    Responses.success(ctx);
  }

  /**
   * Graphgate accepts the provider's own auth mode as a credentials type (Nango has none for these providers), so an
   * integration can hold its scopes, the multi-tenant app's shared credentials and the webhook secret.
   */
  private IntegrationDraft draft(Fields f, String key, String providerName, Optional<Provider> provider) {
    Optional<String> displayName = f.string("display_name", 1, 255);
    Optional<Boolean> forward = f.bool("forward_webhooks");
    f.object("integration_config");
    Optional<String> scopes = Optional.empty();
    Optional<AppCredentials> shared = Optional.empty();
    boolean clearShared = false;
    Optional<Secret> webhookSecret = Optional.empty();
    Optional<Fields> credentials = f.nested("credentials", CREDENTIAL_KEYS);
    if (credentials.isPresent()) {
      Fields c = credentials.get();
      String type = c.requiredString("type", 1, 50);
      if (type != null && provider.isPresent() && !type.equals(provider.get().authMode().name())) {
        f.done();
        throw InvalidRequest.body("incompatible credentials auth type and provider auth");
      }
      scopes = c.string("scopes", 1, 4000);
      Optional<String> clientId = c.string("client_id", 1, 255);
      Optional<String> clientSecret = c.string("client_secret", 1, 2048);
      // Absent keeps what is stored (as for scopes and webhook_secret); both null removes it; one without the other is
      // refused rather than guessed at.
      boolean idNull = c.isExplicitNull("client_id");
      boolean secretNull = c.isExplicitNull("client_secret");
      if (idNull || secretNull) {
        if (idNull && secretNull) {
          clearShared = true;
        } else {
          c.invalid("client_id and client_secret are removed together: send both as null", idNull ? "client_secret" : "client_id");
        }
      } else if (clientId.isPresent() != clientSecret.isPresent()) {
        c.invalid("client_id and client_secret go together", clientId.isPresent() ? "client_secret" : "client_id");
      } else if (clientId.isPresent()) {
        shared = Optional.of(new AppCredentials(clientId.get(), Secret.of(clientSecret.get())));
      }
      webhookSecret = c.string("webhook_secret", 1, 255).map(Secret::of);
    }
    Optional<Fields> custom = f.nested("custom", Set.of("webhookSecret"));
    if (custom.isPresent()) {
      Optional<Secret> s = custom.get().string("webhookSecret", 1, 255).map(Secret::of);
      if (s.isPresent()) {
        webhookSecret = s;
      }
    }
    f.done();
    return new IntegrationDraft(Optional.ofNullable(key), Optional.ofNullable(providerName), displayName, forward, scopes, shared,
        clearShared, webhookSecret);
  }

  private static String uriKey(Context ctx) {
    String key = ctx.pathParam("key");
    if (!IntegrationService.KEY.matcher(key).matches()) {
      throw InvalidRequest.uriParams(FieldError.Kind.INVALID_STRING, "Invalid integration key", "uniqueKey");
    }
    return key;
  }
}
