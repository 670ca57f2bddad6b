package dev.graphgate.server.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;

/**
 * The body of {@code POST /connections} for tests: every field has a default, and a test changes the one it is about
 * with one call ({@code TestConnections.secret(key).tenant("fabrikam.onmicrosoft.com").json()}).
 */
public final class TestConnections {
  public static final String TENANT = "a1b2c3d4-e5f6-47a8-9b0c-d1234567890f";
  public static final String CLIENT_ID = "11112222-bbbb-3333-cccc-4444dddd5555";
  public static final String CLIENT_SECRET = "s3cret";
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestConnections() {}

  /** An app secret ({@code OAUTH2_CC}) connection to {@code integration}, with a new connection id. */
  public static Builder secret(String integration) {
    Builder b = new Builder(integration);
    b.credentials.put("type", "OAUTH2_CC").put("client_id", CLIENT_ID).put("client_secret", CLIENT_SECRET);
    return b;
  }

  /** A certificate ({@code TWO_STEP}) connection to {@code integration}, with {@code certificate}'s key pair. */
  public static Builder certificate(String integration, TestCertificates certificate) {
    Builder b = new Builder(integration);
    b.credentials.put("type", "TWO_STEP").put("clientId", CLIENT_ID).put("privateKey", certificate.privateKeyPem())
        .put("certificate", certificate.certificatePem());
    return b;
  }

  public static final class Builder {
    private final ObjectNode body = JSON.createObjectNode();
    private final ObjectNode credentials;
    private final ObjectNode connectionConfig;

    private Builder(String integration) {
      body.put("provider_config_key", integration).put("connection_id", "c-" + UUID.randomUUID());
      credentials = body.putObject("credentials");
      connectionConfig = body.putObject("connection_config").put("tenantId", TENANT);
    }

    public Builder connectionId(String id) {
      body.put("connection_id", id);
      return this;
    }

    public Builder tenant(String tenant) {
      connectionConfig.put("tenantId", tenant);
      return this;
    }

    /** The app's id, as {@code client_id} (secret) or {@code clientId} (certificate). */
    public Builder clientId(String clientId) {
      credentials.put(credentials.has("clientId") ? "clientId" : "client_id", clientId);
      return this;
    }

    public Builder clientSecret(String secret) {
      credentials.put("client_secret", secret);
      return this;
    }

    /** One more field in {@code credentials} ({@code token}, {@code expires_at}...), any JSON value. */
    public Builder credential(String name, String json) {
      credentials.set(name, parse(json));
      return this;
    }

    /** One more top-level field ({@code end_user}, {@code tags}, {@code metadata}...), any JSON value. */
    public Builder field(String name, String json) {
      body.set(name, parse(json));
      return this;
    }

    public String connectionId() {
      return body.path("connection_id").asText();
    }

    public String json() {
      return body.toString();
    }

    /** {@code POST /connections} with this body. */
    public ApiClient.Response post(ApiClient api) {
      return api.post("/connections", json());
    }
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + json, e);
    }
  }
}
