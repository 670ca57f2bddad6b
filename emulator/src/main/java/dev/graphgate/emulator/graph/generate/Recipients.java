package dev.graphgate.emulator.graph.generate;

import java.util.LinkedHashMap;
import java.util.Map;

/** Graph's recipient shape: {@code {"emailAddress": {"name", "address"}}}. */
public final class Recipients {

  private Recipients() {}

  public static Map<String, Object> address(String name, String address) {
    Map<String, Object> email = new LinkedHashMap<>();
    email.put("name", name == null ? address : name);
    email.put("address", address);
    Map<String, Object> recipient = new LinkedHashMap<>();
    recipient.put("emailAddress", email);
    return recipient;
  }
}
