package dev.graphgate.server.config;

import java.net.URI;
import java.util.Locale;

/**
 * Which Microsoft cloud Graphgate talks to: the Entra login host that issues tokens and the Graph host they are for.
 * {@code custom} points both at other URLs, which is how Graphgate talks to the local emulator.
 */
public record CloudConfig(String name, URI loginUrl, URI graphUrl, String defaultScope) {

  public static final CloudConfig GLOBAL =
      new CloudConfig("global", URI.create("https://login.microsoftonline.com"), URI.create("https://graph.microsoft.com"), "https://graph.microsoft.com/.default");
  public static final CloudConfig US_GOV =
      new CloudConfig("usgov", URI.create("https://login.microsoftonline.us"), URI.create("https://graph.microsoft.us"), "https://graph.microsoft.us/.default");
  public static final CloudConfig US_GOV_DOD =
      new CloudConfig("usgov-dod", URI.create("https://login.microsoftonline.us"), URI.create("https://dod-graph.microsoft.us"), "https://dod-graph.microsoft.us/.default");
  public static final CloudConfig CHINA =
      new CloudConfig("china", URI.create("https://login.chinacloudapi.cn"), URI.create("https://microsoftgraph.chinacloudapi.cn"), "https://microsoftgraph.chinacloudapi.cn/.default");

  public CloudConfig {
    loginUrl = withoutTrailingSlash(loginUrl);
    graphUrl = withoutTrailingSlash(graphUrl);
  }

  /**
   * A custom cloud (the emulator, or a sovereign endpoint we do not list). Its Graph scope stays the global one: the
   * emulator issues tokens for {@code https://graph.microsoft.com} as Entra does.
   */
  public static CloudConfig custom(URI loginUrl, URI graphUrl) {
    return new CloudConfig("custom", loginUrl, graphUrl, GLOBAL.defaultScope());
  }

  static CloudConfig named(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "global" -> GLOBAL;
      case "usgov" -> US_GOV;
      case "usgov-dod" -> US_GOV_DOD;
      case "china" -> CHINA;
      default -> null;
    };
  }

  private static URI withoutTrailingSlash(URI uri) {
    String s = uri.toString();
    return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
  }
}
