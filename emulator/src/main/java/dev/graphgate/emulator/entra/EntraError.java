package dev.graphgate.emulator.entra;

import java.util.Arrays;
import java.util.Optional;

/**
 * The AADSTS errors the emulator answers, in one table: code, OAuth {@code error}, HTTP status and the message Entra
 * writes (variable parts as {@code %s}, filled by {@link #with(Object...)}). Sources: shared/reference/microsoft.md
 * sections 1.2, 1.5, 3 and 4; Entra's reference-error-codes page; real error bodies quoted there.
 */
public enum EntraError {
  // the tenant path segment
  TENANT_MALFORMED(900023, "invalid_request", 400,
      "Specified tenant identifier '%s' is neither a valid DNS name, nor a valid external domain."),
  TENANT_NOT_FOUND(90002, "invalid_tenant", 400,
      "Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. "
          + "Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant."),
  TENANT_EMPTY_GUID(90002, "invalid_tenant", 400,
      "Requested tenant identifier '00000000-0000-0000-0000-000000000000' is not valid. Tenant identifiers may not be an empty GUID."),
  NO_TENANT(50059, "invalid_request", 400,
      "No tenant-identifying information found in either the request or implied by any provided credentials."),

  // the request itself
  METHOD_NOT_ALLOWED(900561, "invalid_request", 400, "The endpoint only accepts %s requests. Received a %s request."),
  MISSING_PARAMETER(900144, "invalid_request", 400, "The request body must contain the following parameter: '%s'."),
  MALFORMED_REQUEST(9002313, "invalid_request", 400, "Invalid request. Request is malformed or invalid. %s"),
  UNSUPPORTED_GRANT_TYPE(70003, "unsupported_grant_type", 400, "The app requested an unsupported grant type '%s'."),

  // scope and resource
  SCOPE_WITHOUT_DEFAULT(1002012, "invalid_scope", 400,
      "The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default "
          + "suffixed to the resource identifier (application ID URI)."),
  SCOPE_INVALID(70011, "invalid_scope", 400,
      "The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' "
          + "is not valid. The scope %s is not valid."),
  RESOURCE_NOT_FOUND(500011, "invalid_resource", 400,
      "The resource principal named %s was not found in the tenant named %s. This can happen if the application has not "
          + "been installed by the administrator of the tenant or consented to by any user in the tenant. You might have "
          + "sent your authentication request to the wrong tenant."),

  // the client
  APP_NOT_FOUND(700016, "unauthorized_client", 400,
      "Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not "
          + "been installed by the administrator of the tenant or consented to by any user in the tenant. You may have "
          + "sent your authentication request to the wrong tenant."),
  APP_DISABLED(7000112, "unauthorized_client", 400, "Application '%s'(%s) is disabled."),
  NO_CLIENT_CREDENTIAL(7000218, "invalid_client", 401,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
  INVALID_CLIENT_SECRET(7000215, "invalid_client", 401,
      "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the "
          + "client secret ID, for a secret added to app '%s'."),
  CLIENT_SECRET_EXPIRED(7000222, "invalid_client", 401,
      "The provided client secret keys for app '%s' are expired. Visit the Azure portal to create new keys for your "
          + "app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: "
          + "https://aka.ms/certCreds."),

  // client assertions (certificate credentials)
  ASSERTION_SIGNATURE_INVALID(700027, "invalid_client", 401,
      "Client assertion contains an invalid signature. [Reason - %s, Thumbprint of key used by client: '%s', Please "
          + "visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '%s'.]"),
  ASSERTION_OUTSIDE_TIME_RANGE(700024, "invalid_client", 401,
      "Client assertion is not within its valid time range. Current time: %s, assertion valid from %s, expiry time of "
          + "assertion %s. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials ."),
  ASSERTION_SUBJECT_MISMATCH(50048, "invalid_client", 401,
      "Subject mismatches Issuer claim in the client assertion. Contact the tenant admin."),
  ASSERTION_ISSUER_MISMATCH(700021, "invalid_client", 401,
      "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at "
          + "https://learn.microsoft.com/entra/identity-platform/certificate-credentials ."),
  ASSERTION_INVALID(50027, "invalid_request", 400, "Invalid JWT token. %s"),

  // discovery and admin consent
  UNKNOWN_INSTANCE(50049, "invalid_instance", 400, "Unknown or invalid instance."),
  REDIRECT_URI_MISMATCH(50011, "invalid_request", 400,
      "The redirect URI '%s' specified in the request does not match the redirect URIs configured for the application "
          + "'%s'. Make sure the redirect URI sent in the request matches one added to your application in the Azure "
          + "portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this."),
  NO_REPLY_ADDRESS(900971, "invalid_request", 400, "No reply address provided."),
  COMMON_ENDPOINT_NOT_SUPPORTED(90130, "invalid_request", 400,
      "Application '%s'(%s) is not supported over the /common or /consumers endpoints. Please use the /organizations "
          + "or tenant-specific endpoint."),
  CONSENT_DECLINED(65004, "access_denied", 400, "User declined to consent to access the app.");

  private final int code;
  private final String error;
  private final int status;
  private final String template;

  EntraError(int code, String error, int status, String template) {
    this.code = code;
    this.error = error;
    this.status = status;
    this.template = template;
  }

  /** The number after {@code AADSTS}. */
  public int code() {
    return code;
  }

  /** The OAuth 2.0 {@code error} member. */
  public String error() {
    return error;
  }

  /** 401 for {@code invalid_client}, 400 for every other error, as Entra answers. */
  public int status() {
    return status;
  }

  /** The error to throw, its message filled with {@code args}. */
  public EntraException with(Object... args) {
    return new EntraException(this, String.format(java.util.Locale.ROOT, template, args));
  }

  /** The catalogue's message with its variable parts left as placeholders, for the {@code /error} page. */
  public String template() {
    return template.replace("%s", "{…}");
  }

  public static Optional<EntraError> byCode(int code) {
    return Arrays.stream(values()).filter(e -> e.code == code).findFirst();
  }
}
