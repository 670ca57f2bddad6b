package dev.graphgate.emulator.directory;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** The shapes of tenant identifiers Entra accepts: a GUID or a DNS domain name. */
public final class Identifiers {

  private static final Pattern GUID =
      Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
  // RFC 1123 labels, at least two of them, total at most 253 characters; ASCII only (IDNs arrive punycoded).
  private static final Pattern DOMAIN =
      Pattern.compile("^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$");
  public static final String EMPTY_GUID = "00000000-0000-0000-0000-000000000000";

  private Identifiers() {}

  public static boolean isGuid(String value) {
    return value != null && GUID.matcher(value).matches();
  }

  public static boolean isDomainName(String value) {
    return value != null && DOMAIN.matcher(value).matches();
  }

  public static String newGuid() {
    return UUID.randomUUID().toString();
  }

  public static String normalize(String value) {
    return value.toLowerCase(Locale.ROOT);
  }
}
