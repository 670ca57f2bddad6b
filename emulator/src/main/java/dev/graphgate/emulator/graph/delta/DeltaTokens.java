package dev.graphgate.emulator.graph.delta;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.graphgate.emulator.graph.http.GraphJson;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals {@link DeltaState}s into opaque tokens and opens them again. Tokens are MACed with a key made at start, so a
 * client cannot forge or edit one, and a token from an earlier run of the emulator is unknown (and answered with a
 * resync) rather than misread.
 */
public final class DeltaTokens {

  private final byte[] key = new byte[32];

  public DeltaTokens() {
    new SecureRandom().nextBytes(key);
  }

  public String seal(DeltaState state) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("t", state.tenantId());
    fields.put("e", state.epoch());
    fields.put("k", state.kind());
    fields.put("s", state.scope());
    fields.put("i", state.initial());
    fields.put("f", state.from());
    fields.put("u", state.upTo());
    fields.put("p", state.position());
    fields.put("a", state.issuedAt());
    fields.put("o", state.options());
    fields.put("q", state.part());
    byte[] payload = GraphJson.write(fields);
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
    return encoder.encodeToString(payload) + "." + encoder.encodeToString(mac(payload));
  }

  public Optional<DeltaState> open(String token) {
    int dot = token.indexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    try {
      Base64.Decoder decoder = Base64.getUrlDecoder();
      byte[] payload = decoder.decode(token.substring(0, dot));
      byte[] mac = decoder.decode(token.substring(dot + 1));
      if (!MessageDigest.isEqual(mac, mac(payload))) {
        return Optional.empty();
      }
      Map<String, Object> fields = GraphJson.MAPPER.readValue(payload, new TypeReference<>() {});
      @SuppressWarnings("unchecked")
      Map<String, String> options = (Map<String, String>) fields.get("o");
      return Optional.of(new DeltaState(
          (String) fields.get("t"), number(fields.get("e")), (String) fields.get("k"), (String) fields.get("s"),
          Boolean.TRUE.equals(fields.get("i")), number(fields.get("f")), number(fields.get("u")), number(fields.get("p")),
          number(fields.get("a")), options == null ? Map.of() : options, (int) number(fields.get("q"))));
    } catch (IllegalArgumentException | IOException | ClassCastException | NullPointerException e) {
      return Optional.empty();
    }
  }

  private static long number(Object value) {
    return ((Number) value).longValue();
  }

  private byte[] mac(byte[] payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return Arrays.copyOf(mac.doFinal(payload), 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is always available", e);
    }
  }
}
