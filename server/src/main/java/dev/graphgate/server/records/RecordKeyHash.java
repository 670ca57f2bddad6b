package dev.graphgate.server.records;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A record's key {@code (connection, model, external id)} as one number, the first 8 bytes of its SHA-256: the column
 * {@code key_hash} and the index {@code records_by_key_hash} through which the records store finds a page's rows.
 *
 * <p>Why not the key itself: on H2 every commit rewrites each B-tree page its transaction changed, and a page of 100
 * entities lands its random ids on about 100 leaves of the key's index, each leaf holding some thirty entries of two
 * strings. One number per entry makes those rewrites and the comparisons of each lookup a few times cheaper
 * (benchmarks/README.md, the users sync). Two keys may share a hash: every lookup also compares the key itself.
 *
 * <p>The value is stored: it must never change for a key.
 */
public final class RecordKeyHash {
  private RecordKeyHash() {}

  public static long of(long connectionId, String model, String externalId) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update((connectionId + "\n" + model + "\n" + externalId).getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(d.digest()).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
