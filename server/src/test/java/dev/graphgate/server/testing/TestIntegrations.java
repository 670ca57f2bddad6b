package dev.graphgate.server.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The body of {@code POST /integrations} for tests: a new unique key and the app-secret provider by default; a test
 * changes the one field it is about ({@code TestIntegrations.secret().uniqueKey("ms").post(api)}).
 */
public final class TestIntegrations {
  public static final String SECRET_PROVIDER = "microsoft-oauth2-cc";
  public static final String CERTIFICATE_PROVIDER = "microsoft-oauth2-cc-cert";
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestIntegrations() {}

  public static Builder secret() {
    return new Builder(SECRET_PROVIDER);
  }

  public static Builder certificate() {
    return new Builder(CERTIFICATE_PROVIDER);
  }

  public static final class Builder {
    private final ObjectNode body = JSON.createObjectNode();

    private Builder(String provider) {
      body.put("unique_key", TestServers.randomKey()).put("provider", provider);
    }

    public Builder uniqueKey(String key) {
      body.put("unique_key", key);
      return this;
    }

    public Builder provider(String provider) {
      body.put("provider", provider);
      return this;
    }

    /** The shared app's credentials, for connections that bring none. */
    public Builder credentials(String clientId, String clientSecret) {
      body.putObject("credentials").put("type", "OAUTH2_CC").put("client_id", clientId).put("client_secret", clientSecret);
      return this;
    }

    /** One more field ({@code display_name}, {@code forward_webhooks}...), any JSON value. */
    public Builder field(String name, String json) {
      body.set(name, TestConnections.parse(json));
      return this;
    }

    public String uniqueKey() {
      return body.path("unique_key").asText();
    }

    public String json() {
      return body.toString();
    }

    /** {@code POST /integrations} with this body; fails unless it was created. */
    public String create(ApiClient api) {
      ApiClient.Response r = api.post("/integrations", json());
      if (r.status() != 200) {
        throw new AssertionError("could not create the test integration (" + r.status() + "): " + r.body());
      }
      return uniqueKey();
    }
  }
}
