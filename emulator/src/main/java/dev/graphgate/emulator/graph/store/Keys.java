package dev.graphgate.emulator.graph.store;

/**
 * Entity keys: generated entities use their generation index, created ones {@link #CREATED_BASE} plus a counter, so a
 * key alone says where the entity comes from and created keys sort after generated ones.
 */
public final class Keys {

  public static final long CREATED_BASE = 1L << 39;

  /** The largest count of generated entities in one collection. */
  public static final long MAX_GENERATED = CREATED_BASE - 1;

  private Keys() {}

  public static boolean isCreated(long key) {
    return key >= CREATED_BASE;
  }
}
