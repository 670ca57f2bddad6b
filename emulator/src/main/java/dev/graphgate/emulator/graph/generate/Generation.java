package dev.graphgate.emulator.graph.generate;

import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.graph.store.Hashing;
import dev.graphgate.emulator.graph.store.IdCodec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The fixed inputs of one tenant's generated data: seed, tenant, sizes and anchor. Generators are pure functions of
 * this and an index.
 */
public record Generation(long seed, Tenant tenant, IdCodec ids, GenerationSpec spec, Instant anchor) {

  private static final DateTimeFormatter OUTLOOK_LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS");

  public static Generation of(long emulatorSeed, Tenant tenant, GenerationSpec spec, LocalDate today) {
    long seed = spec.seed().orElse(emulatorSeed);
    LocalDate anchorDay = spec.anchorDate().orElse(today);
    return new Generation(seed, tenant, new IdCodec(seed, tenant.id()), spec, anchorDay.atStartOfDay().toInstant(ZoneOffset.UTC));
  }

  /** The tenant's default domain, where generated users' names live. */
  public String domain() {
    return tenant.initialDomain();
  }

  /** The SharePoint host of the tenant: {@code contoso.sharepoint.com} for {@code contoso.onmicrosoft.com}. */
  public String sharePointHost() {
    String first = tenant.initialDomain();
    return first.substring(0, first.indexOf('.')) + ".sharepoint.com";
  }

  public long hash(long salt, long index) {
    return Hashing.hash(seed, salt, index);
  }

  public long hash(long salt, long owner, long index) {
    return Hashing.hash(seed, salt, owner, index);
  }

  static <T> T pick(List<T> pool, long hash) {
    return pool.get(Hashing.pick(hash, pool.size()));
  }

  /** Graph's DateTimeOffset rendering: UTC, seconds, {@code Z}. */
  public static String timestamp(Instant instant) {
    // Hand-rolled: the formatter dominated the cost of generating a user.
    LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
    StringBuilder out = new StringBuilder(20);
    out.append(t.getYear()).append('-');
    two(out, t.getMonthValue()).append('-');
    two(out, t.getDayOfMonth()).append('T');
    two(out, t.getHour()).append(':');
    two(out, t.getMinute()).append(':');
    two(out, t.getSecond()).append('Z');
    return out.toString();
  }

  private static StringBuilder two(StringBuilder out, int value) {
    return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }

  /** Outlook's dateTimeTimeZone rendering: local time with seven fraction digits. */
  public static String outlookLocal(Instant instant) {
    return OUTLOOK_LOCAL.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  static String lower(String value) {
    return value.toLowerCase(Locale.ROOT).replace(" ", "");
  }
}
