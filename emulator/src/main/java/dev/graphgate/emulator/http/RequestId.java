package dev.graphgate.emulator.http;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** The ids both hosts stamp on every answer ({@code x-ms-request-id}, Graph's {@code request-id}). */
public final class RequestId {

  private RequestId() {}

  /**
   * A random version-4 GUID. Request ids only need to be unique, not secret: {@link ThreadLocalRandom} spares every
   * request a draw from the shared {@code SecureRandom} behind {@link UUID#randomUUID()}.
   */
  public static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long most = (random.nextLong() & ~0xF000L) | 0x4000L;
    long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(most, least).toString();
  }
}
