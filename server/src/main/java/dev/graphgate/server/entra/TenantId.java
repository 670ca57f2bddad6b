package dev.graphgate.server.entra;

import dev.graphgate.server.GraphgateException.InvalidTenantId;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A customer's Entra tenant: a GUID, or one of its DNS domains such as {@code contoso.onmicrosoft.com}. Only values
 * that pass {@link #parse} ever reach a token URL, so nothing a caller sends can change the URL's host or path.
 */
public record TenantId(String value) {
  private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern TOP_LABEL = Pattern.compile("(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})");
  /** Entra's aliases that name no single tenant. */
  private static final Set<String> ALIASES = Set.of("common", "organizations");
  /**
   * Personal Microsoft accounts: the {@code consumers} alias and the tenant it stands for (the {@code tid} of every
   * personal account's token). No customer's admin can grant an app permissions there.
   */
  private static final String CONSUMERS = "consumers";
  private static final String CONSUMERS_GUID = "9188040d-6c67-4c5b-b112-36a304b66dad";
  private static final Set<String> NOT_A_TENANT = Set.of("common", "organizations", CONSUMERS, CONSUMERS_GUID);
  private static final String EMPTY_GUID = "00000000-0000-0000-0000-000000000000";

  public TenantId {
    if (!isValid(value)) {
      throw new IllegalArgumentException("not a tenant id; use TenantId.parse");
    }
  }

  public static TenantId parse(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new InvalidTenantId("connection_config.tenantId is required: the customer's Microsoft Entra tenant ID (a GUID such as "
          + "a1b2c3d4-e5f6-47a8-9b0c-d1234567890f) or one of its domains (such as contoso.onmicrosoft.com).");
    }
    String v = raw.toLowerCase(Locale.ROOT);
    if (v.equals(CONSUMERS) || v.equals(CONSUMERS_GUID)) {
      throw new InvalidTenantId("'" + CONSUMERS + "' (" + CONSUMERS_GUID + ") is the tenant of personal Microsoft accounts, not a "
          + "customer's: the client credentials grant needs the customer's own tenant ID or domain.");
    }
    if (ALIASES.contains(v)) {
      throw new InvalidTenantId("'" + v + "' is not a tenant: the client credentials grant needs the customer's own tenant ID or domain "
          + "(Entra would answer AADSTS50059: No tenant-identifying information found).");
    }
    if (v.equals(EMPTY_GUID)) {
      throw new InvalidTenantId("AADSTS90002: Requested tenant identifier '" + EMPTY_GUID + "' is not valid. Tenant identifiers may not be an empty GUID.");
    }
    if (!isValid(v)) {
      throw new InvalidTenantId("AADSTS900023: Specified tenant identifier '" + printable(raw)
          + "' is neither a valid DNS name, nor a valid external domain. Use the tenant's GUID or a domain such as contoso.onmicrosoft.com.");
    }
    return new TenantId(v);
  }

  private static boolean isValid(String v) {
    if (v == null || v.isEmpty() || v.length() > 253 || NOT_A_TENANT.contains(v) || v.equals(EMPTY_GUID)) {
      return false;
    }
    if (GUID.matcher(v).matches()) {
      return v.equals(v.toLowerCase(Locale.ROOT));
    }
    String[] labels = v.split("\\.", -1);
    if (labels.length < 2) {
      return false;
    }
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return TOP_LABEL.matcher(labels[labels.length - 1]).matches();
  }

  /** Whether this names the tenant by its GUID (else by one of its domains). */
  public boolean isGuid() {
    return GUID.matcher(value).matches();
  }

  /** Echoes what the caller sent, bounded and without control characters, so the message stays one readable line. */
  private static String printable(String raw) {
    StringBuilder sb = new StringBuilder();
    raw.codePoints().limit(80).forEach(cp -> sb.append(Character.isISOControl(cp) ? "?" : new String(Character.toChars(cp))));
    return sb + (raw.length() > 80 ? "…" : "");
  }

  @Override
  public String toString() {
    return value;
  }
}
