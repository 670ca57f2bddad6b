package dev.graphgate.emulator.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.graphgate.emulator.http.Json;
import io.javalin.http.Context;
import java.util.Locale;

/** Reads an admin request's JSON body into a record, turning every way it can be wrong into a clear 4xx. */
public final class JsonBodies {

  private JsonBodies() {}

  public static <T> T read(Context ctx, Class<T> type) {
    String contentType = ctx.contentType();
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw new AdminException(
          415, "unsupported_media_type", "send the body as JSON with Content-Type: application/json");
    }
    return parse(ctx.body(), type);
  }

  public static <T> T parse(String body, Class<T> type) {
    if (body == null || body.isBlank()) {
      throw new AdminException(400, "invalid_body", "the request body is empty; send a JSON object");
    }
    try {
      T value = Json.MAPPER.readValue(body, type);
      if (value == null) {
        throw new AdminException(400, "invalid_body", "the request body must be a JSON object, not null");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw new AdminException(
          400, "invalid_body", "unknown member '" + e.getPropertyName() + "'; known members: " + e.getKnownPropertyIds());
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new AdminException(400, "invalid_json", "the body is not the JSON this endpoint takes" + where + ": " + e.getOriginalMessage());
    }
  }
}
