package dev.graphgate.server.auth;

import dev.graphgate.server.connection.ConnectionStatus;
import java.util.Map;
import java.util.Optional;

/**
 * Turns Entra's refusal into a connection status and a message saying what the customer's admin must do. The table
 * is the one place AADSTS codes are interpreted (codes and meanings from Entra's error reference).
 */
public final class AadstsClassifier {

  /** A refusal, classified. {@code transientFailure} means "retry later", not "someone must act". */
  public record Classification(ConnectionStatus status, String message, boolean transientFailure) {}

  private record Rule(ConnectionStatus status, String advice) {}

  private static final String SECRETS_PAGE = "Microsoft Entra admin center → App registrations → the app → Certificates & secrets";

  private static final Map<Integer, Rule> RULES = Map.ofEntries(
      Map.entry(7000215, new Rule(ConnectionStatus.INVALID_CREDENTIALS,
          "The client secret is wrong. Use the secret's Value (not its Secret ID) from " + SECRETS_PAGE + ", then import the connection again with it.")),
      Map.entry(7000222, new Rule(ConnectionStatus.SECRET_EXPIRED,
          "The client secret has expired. Create a new client secret in " + SECRETS_PAGE + " and import the connection again with it.")),
      Map.entry(7000218, new Rule(ConnectionStatus.INVALID_CREDENTIALS, "No client secret or certificate was sent; import the connection again with one.")),
      Map.entry(7000216, new Rule(ConnectionStatus.INVALID_CREDENTIALS, "No client secret or certificate was sent; import the connection again with one.")),
      Map.entry(700027, new Rule(ConnectionStatus.INVALID_CREDENTIALS,
          "Entra could not verify the client assertion: the certificate is not uploaded to the app, or the private key does not belong to it. Upload the certificate in " + SECRETS_PAGE + ".")),
      Map.entry(700024, new Rule(ConnectionStatus.INVALID_CREDENTIALS,
          "The client assertion is outside its valid time range; check that this server's clock is correct.")),
      Map.entry(50048, new Rule(ConnectionStatus.INVALID_CREDENTIALS, "The client assertion's subject does not match its issuer; check the client id.")),
      Map.entry(50027, new Rule(ConnectionStatus.INVALID_CREDENTIALS, "Entra could not read the client assertion; check the certificate and private key.")),
      Map.entry(50012, new Rule(ConnectionStatus.INVALID_CREDENTIALS, "Entra rejected the client credentials; check the secret or certificate.")),
      Map.entry(700025, new Rule(ConnectionStatus.INVALID_CREDENTIALS, "The app is registered as a public client and cannot use a secret or certificate; turn off 'Allow public client flows'.")),
      Map.entry(700016, new Rule(ConnectionStatus.APP_NOT_IN_TENANT,
          "The app is not installed in this tenant: an admin of the tenant must grant consent to it, or the client id or tenant id is wrong.")),
      Map.entry(7000112, new Rule(ConnectionStatus.APP_DISABLED, "The app is disabled in this tenant; an admin must enable its enterprise application.")),
      Map.entry(70001, new Rule(ConnectionStatus.APP_DISABLED, "The app is disabled in this tenant; an admin must enable its enterprise application.")),
      Map.entry(90002, new Rule(ConnectionStatus.TENANT_NOT_FOUND, "No tenant with this id or domain exists in this Microsoft cloud; check the tenant id.")),
      Map.entry(900023, new Rule(ConnectionStatus.TENANT_NOT_FOUND, "The tenant id is neither a GUID nor a domain of a tenant; check it.")),
      Map.entry(50059, new Rule(ConnectionStatus.TENANT_NOT_FOUND, "Entra found no tenant in the request; give the tenant's id or domain.")),
      Map.entry(1002012, new Rule(ConnectionStatus.INVALID_SCOPE, "The scope must be one resource's .default scope, such as https://graph.microsoft.com/.default.")),
      Map.entry(70011, new Rule(ConnectionStatus.INVALID_SCOPE, "The scope must be one resource's .default scope, such as https://graph.microsoft.com/.default.")),
      Map.entry(700022, new Rule(ConnectionStatus.INVALID_SCOPE, "The scope names more than one resource; request one resource's .default scope.")),
      Map.entry(28000, new Rule(ConnectionStatus.INVALID_SCOPE, "The scope names more than one resource; request one resource's .default scope.")),
      Map.entry(500011, new Rule(ConnectionStatus.INVALID_SCOPE, "The resource in the scope does not exist in this tenant; check the scope.")),
      Map.entry(501051, new Rule(ConnectionStatus.CONSENT_MISSING,
          "The app is not assigned to a role of the resource, which requires assignment: an admin must grant the app's permissions.")),
      Map.entry(50105, new Rule(ConnectionStatus.CONSENT_MISSING,
          "The app is not assigned to a role of the resource, which requires assignment: an admin must grant the app's permissions.")),
      Map.entry(53003, new Rule(ConnectionStatus.BLOCKED_BY_POLICY, "A Conditional Access policy blocks this app; an admin must allow it.")));

  /** Codes that mean "slow down or try later", though Entra sends them as 400. */
  private static final java.util.Set<Integer> TRANSIENT = java.util.Set.of(90055, 50196);

  public Classification classify(TokenOutcome.Rejected rejected) {
    String entra = firstLine(rejected.description());
    Optional<Integer> code = rejected.aadsts();
    if (code.isPresent() && TRANSIENT.contains(code.get())) {
      return new Classification(ConnectionStatus.TRANSIENT, "Entra is throttling token requests for this tenant (" + entra + ")", true);
    }
    Rule rule = code.map(RULES::get).orElse(null);
    if (rule != null) {
      return new Classification(rule.status(), rule.advice() + " (Entra: " + entra + ")", false);
    }
    if ("invalid_client".equals(rejected.error())) {
      return new Classification(ConnectionStatus.INVALID_CREDENTIALS, "Entra rejected the client credentials. (Entra: " + entra + ")", false);
    }
    if ("invalid_scope".equals(rejected.error())) {
      return new Classification(ConnectionStatus.INVALID_SCOPE, "Entra rejected the scope. (Entra: " + entra + ")", false);
    }
    if ("invalid_tenant".equals(rejected.error())) {
      return new Classification(ConnectionStatus.TENANT_NOT_FOUND, "Entra does not know this tenant. (Entra: " + entra + ")", false);
    }
    return new Classification(ConnectionStatus.TOKEN_REQUEST_FAILED,
        "Entra refused the token request (HTTP " + rejected.httpStatus() + ", " + rejected.error() + "). (Entra: " + entra + ")", false);
  }

  /**
   * Entra appends trace and correlation ids after the first line; the first line (at most 500 characters) is what a
   * person reads.
   */
  public static String firstLine(String description) {
    if (description == null || description.isBlank()) {
      return "no description";
    }
    int cut = description.indexOf('\r');
    int nl = description.indexOf('\n');
    int end = cut < 0 ? nl : (nl < 0 ? cut : Math.min(cut, nl));
    String line = end < 0 ? description : description.substring(0, end);
    return line.length() > 500 ? line.substring(0, 500) + "…" : line;
  }
}
