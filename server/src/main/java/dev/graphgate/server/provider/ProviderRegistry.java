package dev.graphgate.server.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.graphgate.server.config.CloudConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The providers Graphgate serves, read once from the {@code providers.yaml} resource beside this class. */
public final class ProviderRegistry {
  private static final String LOGIN_GLOBAL = "https://login.microsoftonline.com";
  private static final String GRAPH_GLOBAL = "https://graph.microsoft.com";

  private final Map<String, Provider> providers;
  private final CloudConfig cloud;

  private ProviderRegistry(Map<String, Provider> providers, CloudConfig cloud) {
    this.providers = Map.copyOf(providers);
    this.cloud = cloud;
  }

  public static ProviderRegistry load(CloudConfig cloud) {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    try (InputStream in = ProviderRegistry.class.getResourceAsStream("providers.yaml")) {
      if (in == null) {
        throw new IllegalStateException("providers.yaml is missing from the server jar");
      }
      JsonNode root = yaml.readTree(in);
      Map<String, Provider> providers = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : root.properties()) {
        ObjectNode def = forCloud((ObjectNode) e.getValue(), cloud);
        String routing = def.path("webhook_routing_script").asText("");
        providers.put(e.getKey(), new Provider(e.getKey(), def.path("display_name").asText(e.getKey()),
            AuthMode.valueOf(def.path("auth_mode").asText()), !routing.isEmpty(), def));
      }
      return new ProviderRegistry(providers, cloud);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read providers.yaml", e);
    }
  }

  public Optional<Provider> find(String name) {
    return Optional.ofNullable(providers.get(name));
  }

  public Collection<Provider> all() {
    return providers.values();
  }

  public CloudConfig cloud() {
    return cloud;
  }

  /** Logos live on this server, as Nango serves them from its own. */
  public static String logoUrl(URI publicUrl, String provider) {
    return publicUrl + "/images/template-logos/" + provider + ".svg";
  }

  /** The definition with the configured cloud's login and Graph hosts instead of the global ones. */
  private static ObjectNode forCloud(ObjectNode def, CloudConfig cloud) {
    ObjectNode copy = def.deepCopy();
    rewrite(copy, LOGIN_GLOBAL, cloud.loginUrl().toString(), GRAPH_GLOBAL, cloud.graphUrl().toString());
    return copy;
  }

  private static void rewrite(ObjectNode node, String login, String newLogin, String graph, String newGraph) {
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      JsonNode v = e.getValue();
      if (v.isObject()) {
        rewrite((ObjectNode) v, login, newLogin, graph, newGraph);
      } else if (v.isTextual() && (e.getKey().equals("token_url") || e.getKey().equals("base_url") || e.getKey().equals("aud"))) {
        e.setValue(node.textNode(v.asText().replace(login, newLogin).replace(graph, newGraph)));
      }
    }
  }
}
