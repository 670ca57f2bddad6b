package dev.graphgate.emulator.graph.store;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns (kind, owner key, item key) into the opaque ids clients see and back, without storing anything: a four-round
 * Feistel network keyed by the seed and the tenant permutes 120 bits, so ids look random, differ per tenant and seed,
 * and decode in constant time. That is what lets a tenant of 100,000 generated users answer {@code GET /users/{id}}
 * without an index.
 *
 * <p>Plain text layout: half A = kind (8 bits) | owner (40 bits) | check (12 bits); half B = item (40 bits) | check (20
 * bits). The 32 check bits reject ids of another kind, tenant or seed.
 */
public final class IdCodec {

  private static final long MASK60 = (1L << 60) - 1;
  private static final long MASK40 = (1L << 40) - 1;
  private static final String OUTLOOK_PREFIX = "AAMkA";
  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

  private final long[] roundKeys = new long[4];
  private final long checkSeed;

  public IdCodec(long seed, String tenantId) {
    long tenant = Hashing.of(tenantId.toLowerCase(Locale.ROOT));
    for (int i = 0; i < roundKeys.length; i++) {
      roundKeys[i] = Hashing.hash(seed, tenant, i + 1);
    }
    checkSeed = Hashing.hash(seed, tenant, 0x5EED);
  }

  /** A decoded id. */
  public record Parts(IdKind kind, long owner, long item) {}

  // ---- GUID form (directory objects, sites)

  public String guid(IdKind kind, long owner, long item) {
    long[] cipher = encrypt(kind, owner, item);
    long a = cipher[0];
    long b = cipher[1];
    long msb = ((a >>> 12) << 16) | (0x4L << 12) | (a & 0xFFF);
    long lsb = (0x2L << 62) | b;
    return new UUID(msb, lsb).toString();
  }

  public Optional<Parts> fromGuid(String id, IdKind expected) {
    UUID uuid;
    try {
      if (id.length() != 36) {
        return Optional.empty();
      }
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    long msb = uuid.getMostSignificantBits();
    long lsb = uuid.getLeastSignificantBits();
    long a = ((msb >>> 16) << 12) | (msb & 0xFFF);
    long b = lsb & MASK60;
    return decrypt(a, b, expected);
  }

  // ---- Outlook form (mail folders, messages, events): base64url, as Graph's REST ids

  public String outlook(IdKind kind, long owner, long item) {
    return OUTLOOK_PREFIX + Base64.getUrlEncoder().encodeToString(bytes(encrypt(kind, owner, item)));
  }

  public Optional<Parts> fromOutlook(String id, IdKind expected) {
    if (!id.startsWith(OUTLOOK_PREFIX)) {
      return Optional.empty();
    }
    try {
      byte[] raw = Base64.getUrlDecoder().decode(id.substring(OUTLOOK_PREFIX.length()));
      if (raw.length != 15) {
        return Optional.empty();
      }
      long[] halves = halves(raw);
      return decrypt(halves[0], halves[1], expected);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  // ---- OneDrive for Business form (drive items): "01" + base32, upper case

  public String driveItem(IdKind kind, long owner, long item) {
    byte[] raw = bytes(encrypt(kind, owner, item));
    StringBuilder out = new StringBuilder("01");
    int buffer = 0;
    int bits = 0;
    for (byte b : raw) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(BASE32[(buffer >>> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    return out.toString();
  }

  public Optional<Parts> fromDriveItem(String id, IdKind expected) {
    if (id.length() != 26 || !id.startsWith("01")) {
      return Optional.empty();
    }
    byte[] raw = new byte[15];
    int buffer = 0;
    int bits = 0;
    int index = 0;
    for (int i = 2; i < id.length(); i++) {
      int value = base32Value(id.charAt(i));
      if (value < 0) {
        return Optional.empty();
      }
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        raw[index++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
      }
    }
    long[] halves = halves(raw);
    return decrypt(halves[0], halves[1], expected);
  }

  // ---- drive ids: "b!" + base64url, as SharePoint's

  public String drive(IdKind kind, long owner, long item) {
    return "b!" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(encrypt(kind, owner, item)));
  }

  public Optional<Parts> fromDrive(String id, IdKind expected) {
    if (!id.startsWith("b!")) {
      return Optional.empty();
    }
    try {
      byte[] raw = Base64.getUrlDecoder().decode(id.substring(2));
      if (raw.length != 15) {
        return Optional.empty();
      }
      long[] halves = halves(raw);
      return decrypt(halves[0], halves[1], expected);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  // ---- the permutation

  private long[] encrypt(IdKind kind, long owner, long item) {
    if (owner < 0 || owner > MASK40 || item < 0 || item > MASK40) {
      throw new IllegalArgumentException("keys must fit in 40 bits: owner " + owner + ", item " + item);
    }
    long check = check(kind);
    long a = ((long) kind.code() << 52) | (owner << 12) | (check >>> 20 & 0xFFF);
    long b = (item << 20) | (check & 0xFFFFF);
    for (long key : roundKeys) {
      long next = b;
      b = a ^ (Hashing.hash(key, b) & MASK60);
      a = next;
    }
    return new long[] {a, b};
  }

  private Optional<Parts> decrypt(long a, long b, IdKind expected) {
    for (int i = roundKeys.length - 1; i >= 0; i--) {
      long previous = a;
      a = b ^ (Hashing.hash(roundKeys[i], a) & MASK60);
      b = previous;
    }
    int code = (int) (a >>> 52);
    if (code != expected.code()) {
      return Optional.empty();
    }
    long check = check(expected);
    if ((a & 0xFFF) != (check >>> 20 & 0xFFF) || (b & 0xFFFFF) != (check & 0xFFFFF)) {
      return Optional.empty();
    }
    return Optional.of(new Parts(expected, (a >>> 12) & MASK40, b >>> 20));
  }

  private long check(IdKind kind) {
    return Hashing.hash(checkSeed, kind.code()) & 0xFFFFFFFFL;
  }

  private static byte[] bytes(long[] halves) {
    // 2 x 60 bits = 15 bytes
    ByteBuffer buffer = ByteBuffer.allocate(16);
    buffer.putLong(halves[0] << 4 | halves[1] >>> 56);
    buffer.putLong(halves[1] << 8);
    byte[] out = new byte[15];
    System.arraycopy(buffer.array(), 0, out, 0, 15);
    return out;
  }

  private static long[] halves(byte[] raw) {
    ByteBuffer buffer = ByteBuffer.allocate(16);
    buffer.put(raw);
    buffer.put((byte) 0);
    buffer.flip();
    long first = buffer.getLong();
    long second = buffer.getLong();
    long a = first >>> 4;
    long b = ((first & 0xF) << 56) | (second >>> 8);
    return new long[] {a, b};
  }

  private static int base32Value(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= '2' && c <= '7') {
      return 26 + c - '2';
    }
    return -1;
  }
}
