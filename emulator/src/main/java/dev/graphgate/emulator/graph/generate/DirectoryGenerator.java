package dev.graphgate.emulator.graph.generate;

import dev.graphgate.emulator.graph.store.Entity;
import dev.graphgate.emulator.graph.store.IdKind;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Generated users and groups, and the membership of generated groups, as functions of their index. */
public final class DirectoryGenerator {

  private static final long USER = 0x05E1;
  private static final long GROUP = 0x6A0F;
  private static final long MEMBERS = 0x3E3B;

  private final Generation g;

  public DirectoryGenerator(Generation generation) {
    this.g = generation;
  }

  public long userCount() {
    return g.spec().users();
  }

  public long groupCount() {
    return g.spec().groups();
  }

  public Entity user(long index) {
    long h = g.hash(USER, index);
    String given = Generation.pick(Names.GIVEN, h);
    String surname = Generation.pick(Names.SURNAMES, h >>> 17);
    String nickname = Generation.lower(given + "." + surname) + index;
    String upn = nickname + "@" + g.domain();
    int place = (int) Long.remainderUnsigned(h >>> 29, Names.CITIES.size());
    String id = g.ids().guid(IdKind.USER, 0, index);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("businessPhones", List.of("+1 425 555 " + digits(Long.remainderUnsigned(h >>> 7, 10_000), 4)));
    p.put("displayName", given + " " + surname);
    p.put("givenName", given);
    p.put("jobTitle", Generation.pick(Names.JOB_TITLES, h >>> 23));
    p.put("mail", upn);
    p.put("mobilePhone", (h & 3) == 0 ? null : "+1 206 555 " + digits(Long.remainderUnsigned(h >>> 41, 10_000), 4));
    p.put("officeLocation", (h >>> 13 & 7) + "/" + Long.remainderUnsigned(h >>> 33, 4000));
    p.put("preferredLanguage", "en-US");
    p.put("surname", surname);
    p.put("userPrincipalName", upn);
    p.put("id", id);
    p.put("accountEnabled", (h >>> 51 & 31) != 0);
    p.put("city", Names.CITIES.get(place));
    p.put("companyName", g.tenant().displayName());
    p.put("country", Names.COUNTRIES.get(place));
    p.put("createdDateTime", Generation.timestamp(g.anchor().minus(Duration.ofHours(24 + Long.remainderUnsigned(h >>> 3, 3 * 365 * 24)))));
    p.put("department", Generation.pick(Names.DEPARTMENTS, h >>> 37));
    p.put("employeeId", digits(index + 1, 6));
    p.put("mailNickname", nickname);
    p.put("usageLocation", Names.USAGE_LOCATIONS.get(place));
    p.put("userType", "Member");
    return new Entity(index, id, p);
  }

  /** Zero-padded decimal; String.format is too slow for a path that renders thousands of users a second. */
  private static String digits(long value, int width) {
    String text = Long.toString(value);
    return text.length() >= width ? text : "0".repeat(width - text.length()) + text;
  }

  /** The index of the generated user whose user principal name (or mail) this is, if any. */
  public OptionalLong userIndexForName(String upnOrMail) {
    int at = upnOrMail.indexOf('@');
    if (at <= 0) {
      return OptionalLong.empty();
    }
    int end = at;
    int start = end;
    while (start > 0 && Character.isDigit(upnOrMail.charAt(start - 1))) {
      start--;
    }
    if (start == end || end - start > 12) {
      return OptionalLong.empty();
    }
    long index = Long.parseLong(upnOrMail.substring(start, end));
    if (index >= userCount()) {
      return OptionalLong.empty();
    }
    return user(index).string("userPrincipalName").equalsIgnoreCase(upnOrMail) ? OptionalLong.of(index) : OptionalLong.empty();
  }

  public Entity group(long index) {
    long h = g.hash(GROUP, index);
    String department = Generation.pick(Names.DEPARTMENTS, h);
    String kind = Generation.pick(Names.GROUP_KINDS, h >>> 11);
    boolean unified = Long.remainderUnsigned(h >>> 21, 3) == 0;
    String nickname = Generation.lower(department + kind) + (index + 1);
    String id = g.ids().guid(IdKind.GROUP, 0, index);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("id", id);
    p.put("deletedDateTime", null);
    p.put("classification", null);
    p.put("createdDateTime", Generation.timestamp(g.anchor().minus(Duration.ofHours(48 + Long.remainderUnsigned(h >>> 5, 2 * 365 * 24)))));
    p.put("description", "The " + department + " " + kind.toLowerCase(java.util.Locale.ROOT) + " (" + (unified ? "Microsoft 365" : "security") + " group)");
    p.put("displayName", department + " " + kind + " " + (index + 1));
    p.put("groupTypes", unified ? List.of("Unified") : List.of());
    p.put("mail", unified ? nickname + "@" + g.domain() : null);
    p.put("mailEnabled", unified);
    p.put("mailNickname", nickname);
    p.put("securityEnabled", !unified);
    p.put("visibility", unified ? ((h >>> 40 & 1) == 0 ? "Private" : "Public") : null);
    return new Entity(index, id, p);
  }

  /** How many generated users a generated group starts with. */
  public long generatedMemberCount() {
    return Math.min(g.spec().membersPerGroup(), g.spec().users());
  }

  /** The {@code k}-th generated member of generated group {@code group}: a user index. */
  public long generatedMember(long group, long k) {
    long users = userCount();
    return Math.floorMod(start(group) + k * step(group), users);
  }

  /** Whether generated user {@code user} is among the generated members of generated group {@code group}. */
  public boolean isGeneratedMember(long group, long user) {
    long users = userCount();
    if (group >= groupCount() || user >= users || users == 0) {
      return false;
    }
    long inverse = modInverse(step(group), users);
    long k = Math.floorMod(multiplyMod(Math.floorMod(user - start(group), users), inverse, users), users);
    return k < generatedMemberCount();
  }

  private long start(long group) {
    return Long.remainderUnsigned(g.hash(MEMBERS, group), userCount());
  }

  private long step(long group) {
    long users = userCount();
    if (users <= 1) {
      return 1;
    }
    long step = 1 + Long.remainderUnsigned(g.hash(MEMBERS, group) >>> 20, users - 1);
    while (gcd(step, users) != 1) {
      step++;
    }
    return step;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  private static long modInverse(long a, long m) {
    if (m == 1) {
      return 0;
    }
    return java.math.BigInteger.valueOf(a).modInverse(java.math.BigInteger.valueOf(m)).longValue();
  }

  private static long multiplyMod(long a, long b, long m) {
    return java.math.BigInteger.valueOf(a).multiply(java.math.BigInteger.valueOf(b)).mod(java.math.BigInteger.valueOf(m)).longValue();
  }
}
