package dev.graphgate.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.emulator.Emulator;
import dev.graphgate.emulator.EmulatorConfig;
import dev.graphgate.server.Json;
import dev.graphgate.server.config.CloudConfig;
import java.util.List;

/**
 * The Microsoft emulator, started in-process on free ports, and driven only through its HTTP admin API
 * ({@code /_emulator/...}), as any client of it would.
 */
public final class EmulatorFixture implements AutoCloseable {
  private final Emulator emulator;
  private final ApiClient admin;

  public EmulatorFixture() {
    this(EmulatorConfig.ephemeral());
  }

  public EmulatorFixture(EmulatorConfig config) {
    emulator = Emulator.start(config);
    admin = new ApiClient(emulator.loginUrl(), null);
  }

  public CloudConfig cloud() {
    return CloudConfig.custom(emulator.loginUrl(), emulator.graphUrl());
  }

  public String loginUrl() {
    return emulator.loginUrl().toString();
  }

  public void tenant(String id, String domain) {
    expect(admin.post("/_emulator/tenants", "{\"id\":\"%s\",\"domains\":[\"%s\"]}".formatted(id, domain)), 201);
  }

  /** A multi-tenant app with one secret (expiring at {@code secretExpiresAt} when given) and optional certificates. */
  public void app(String appId, String secret, String secretExpiresAt, List<String> certificatePems) {
    String secrets = secret == null ? "[]"
        : "[{\"value\":\"" + secret + "\"" + (secretExpiresAt == null ? "" : ",\"expiresAt\":\"" + secretExpiresAt + "\"") + "}]";
    StringBuilder certs = new StringBuilder("[");
    for (String pem : certificatePems) {
      certs.append(certs.length() > 1 ? "," : "").append("{\"pem\":").append(Json.write(pem)).append("}");
    }
    certs.append("]");
    expect(admin.post("/_emulator/apps", """
        {"appId":"%s","displayName":"Graphgate test app","multiTenant":true,"requiredRoles":["User.Read.All","Mail.Read"],
         "secrets":%s,"certificates":%s}""".formatted(appId, secrets, certs)), 201);
  }

  /** A multi-tenant app with one secret, the permissions it asks admin consent for, and its registered redirect URIs. */
  public void consentApp(String appId, String secret, List<String> requiredRoles, List<String> redirectUris) {
    expect(admin.post("/_emulator/apps", """
        {"appId":"%s","displayName":"Graphgate consent test app","multiTenant":true,"requiredRoles":%s,"redirectUris":%s,
         "secrets":[{"value":"%s"}]}""".formatted(appId, Json.write(requiredRoles), Json.write(redirectUris), secret)), 201);
  }

  public void grant(String tenantId, String appId, List<String> roles) {
    expect(admin.post("/_emulator/grants", "{\"tenantId\":\"%s\",\"appId\":\"%s\",\"roles\":%s}".formatted(tenantId, appId, Json.write(roles))), 200);
  }

  public void revoke(String tenantId, String appId) {
    expect(admin.delete("/_emulator/grants/" + tenantId + "/" + appId), 204);
  }

  /** Replaces a tenant's Graph data with generated data ({@code spec} as {@code POST /_emulator/tenants/{id}/generate} takes it). */
  public void generate(String tenant, String spec) {
    expect(admin.post("/_emulator/tenants/" + tenant + "/generate", spec), 200);
  }

  /** Graph throttling for every tenant, as {@code PUT /_emulator/throttling} takes it; null switches it off. */
  public void throttling(String json) {
    if (json == null) {
      expect(admin.delete("/_emulator/throttling"), 204);
    } else {
      expect(admin.put("/_emulator/throttling", json), 200);
    }
  }

  /** Injected Graph faults, as {@code PUT /_emulator/faults} takes them; null switches them off. */
  public void faults(String json) {
    if (json == null) {
      expect(admin.delete("/_emulator/faults"), 204);
    } else {
      expect(admin.put("/_emulator/faults", json), 200);
    }
  }

  /** Graph answers the emulator gave with this status since start or the last reset. */
  public long graphAnswers(int status) {
    return stats().path("graphRequests").path("byStatus").path(String.valueOf(status)).asLong();
  }

  /** Token requests the emulator has answered since start or the last {@link #resetStats()}. */
  public long tokenRequests() {
    ApiClient.Response r = expect(admin.get("/_emulator/stats"), 200);
    return r.json().path("tokenRequests").path("total").asLong();
  }

  public JsonNode stats() {
    return expect(admin.get("/_emulator/stats"), 200).json();
  }

  public void resetStats() {
    expect(admin.delete("/_emulator/stats"), 204);
  }

  private static ApiClient.Response expect(ApiClient.Response r, int status) {
    if (r.status() != status) {
      throw new IllegalStateException("emulator admin API answered " + r.status() + ": " + r.body());
    }
    return r;
  }

  @Override
  public void close() {
    emulator.close();
  }
}
