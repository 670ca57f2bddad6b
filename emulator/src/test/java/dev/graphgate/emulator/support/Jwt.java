package dev.graphgate.emulator.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;

/** Reads a compact JWT's header and claims without verifying it (tests that verify use nimbus). */
public final class Jwt {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Jwt() {}

  public static JsonNode header(String jwt) {
    return part(jwt, 0);
  }

  public static JsonNode claims(String jwt) {
    return part(jwt, 1);
  }

  private static JsonNode part(String jwt, int index) {
    try {
      return MAPPER.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]));
    } catch (IOException e) {
      throw new AssertionError("not a JWT: " + jwt, e);
    }
  }
}
