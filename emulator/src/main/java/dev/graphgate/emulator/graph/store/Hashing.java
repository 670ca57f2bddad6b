package dev.graphgate.emulator.graph.store;

import java.nio.charset.StandardCharsets;

/** The emulator's one mixing function: everything generated is a pure function of (seed, tenant, kind, index). */
public final class Hashing {

  private Hashing() {}

  /** SplitMix64's finalizer: a bijection on 64 bits that spreads every input bit over the output. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  public static long hash(long a, long b) {
    return mix(a * 0x9E3779B97F4A7C15L + mix(b));
  }

  public static long hash(long a, long b, long c) {
    return hash(hash(a, b), c);
  }

  public static long hash(long a, long b, long c, long d) {
    return hash(hash(hash(a, b), c), d);
  }

  public static long of(String value) {
    long h = 0x84222325CBF29CE4L;
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      h = mix(h ^ (b & 0xff));
    }
    return h;
  }

  /** A value in {@code [0, bound)} from a hash; bias is irrelevant for test data. */
  public static int pick(long hash, int bound) {
    return (int) Long.remainderUnsigned(hash, bound);
  }
}
