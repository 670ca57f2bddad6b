package dev.graphgate.server.upstream;

import dev.graphgate.server.config.CloudConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Microsoft resource hosts of each cloud that a {@code Base-Url-Override} may name besides Graph: SharePoint
 * Online ({@code {tenant}.sharepoint.com}, {@code {tenant}-my...}, {@code {tenant}-admin...}: one host label before
 * the cloud's SharePoint domain), Exchange Online and Azure Resource Manager. A custom cloud (the emulator) has none;
 * operators add origins with {@code GRAPHGATE_PROXY_ALLOWED_ORIGINS}.
 */
record ResourceHosts(Set<String> exactHosts, List<String> tenantSuffixes) {

  static ResourceHosts of(CloudConfig cloud) {
    return switch (cloud.name()) {
      case "global" -> new ResourceHosts(Set.of("outlook.office365.com", "outlook.office.com", "management.azure.com"),
          List.of(".sharepoint.com"));
      case "usgov" -> new ResourceHosts(Set.of("outlook.office365.us", "management.usgovcloudapi.net"), List.of(".sharepoint.us"));
      case "usgov-dod" -> new ResourceHosts(Set.of("outlook-dod.office365.us", "management.usgovcloudapi.net"),
          List.of(".sharepoint-mil.us"));
      case "china" -> new ResourceHosts(Set.of("partner.outlook.cn", "management.chinacloudapi.cn"), List.of(".sharepoint.cn"));
      default -> new ResourceHosts(Set.of(), List.of());
    };
  }

  /** {@code host} is lower case without a trailing dot. */
  boolean allows(String host, Pattern label) {
    if (exactHosts.contains(host)) {
      return true;
    }
    for (String suffix : tenantSuffixes) {
      if (host.endsWith(suffix) && label.matcher(host.substring(0, host.length() - suffix.length())).matches()) {
        return true;
      }
    }
    return false;
  }

  String describe() {
    List<String> all = new ArrayList<>();
    tenantSuffixes.forEach(s -> all.add("https://{tenant}" + s));
    exactHosts.stream().sorted().forEach(h -> all.add("https://" + h));
    return all.isEmpty() ? "no other Microsoft host in a custom cloud" : String.join(", ", all);
  }
}
