package dev.graphgate.app;

import dev.graphgate.emulator.Emulator;
import java.nio.file.Path;

/** The copy-pasteable curl commands the emulator and demo commands print. */
final class CurlHints {

  private CurlHints() {}

  /** {@code curl} plus {@code --cacert} when the emulator serves TLS with its generated certificate. */
  static String curl(Emulator emulator) {
    return emulator.trustMaterial()
        .map(t -> "curl -s --cacert " + quote(t.certificatePem().toAbsolutePath()))
        .orElse("curl -s");
  }

  /** A token request with a client secret, as a daemon sends it. */
  static String tokenRequest(Emulator emulator, String tenant, String clientId, String secret) {
    return curl(emulator) + " " + emulator.loginUrl() + "/" + tenant + "/oauth2/v2.0/token \\\n"
        + "    -d grant_type=client_credentials \\\n"
        + "    -d client_id=" + clientId + " \\\n"
        + "    -d client_secret=" + secret + " \\\n"
        + "    --data-urlencode scope=https://graph.microsoft.com/.default";
  }

  /** Registering a tenant, an app with a secret and a grant through the admin API, then asking for a token. */
  static String setupAndToken(Emulator emulator) {
    String admin = curl(emulator) + " -H 'Content-Type: application/json' " + emulator.loginUrl() + "/_emulator";
    String appId = "6731de76-14a6-49ae-97bc-6eba6914391e";
    return "  # a tenant, an app with a known secret, and an admin's grant of User.Read.All:\n"
        + "  " + admin + "/tenants -d '{\"domains\":[\"fabrikam.onmicrosoft.com\"]}'\n"
        + "  " + admin + "/apps -d '{\"appId\":\"" + appId + "\",\"displayName\":\"My daemon\","
        + "\"tenantId\":\"fabrikam.onmicrosoft.com\",\"secrets\":[{\"value\":\"my-secret\"}]}'\n"
        + "  " + admin + "/grants -d '{\"tenantId\":\"fabrikam.onmicrosoft.com\",\"appId\":\"" + appId
        + "\",\"roles\":[\"User.Read.All\"]}'\n"
        + "  # then the token, as a daemon asks for it:\n"
        + "  " + tokenRequest(emulator, "fabrikam.onmicrosoft.com", appId, "my-secret");
  }

  private static String quote(Path path) {
    String value = path.toString();
    return value.matches("[A-Za-z0-9_./-]+") ? value : "'" + value.replace("'", "'\\''") + "'";
  }
}
