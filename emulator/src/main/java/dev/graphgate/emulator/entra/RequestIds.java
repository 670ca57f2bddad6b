package dev.graphgate.emulator.entra;

import dev.graphgate.emulator.directory.Identifiers;
import dev.graphgate.emulator.http.RequestId;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The identifiers Entra stamps on every answer: a trace id of its own, the caller's {@code client-request-id} as
 * correlation id (a new one when the caller sent none, or something that is not a GUID), and the time.
 */
record RequestIds(String traceId, String correlationId, Instant timestamp) {

  private static final DateTimeFormatter ENTRA_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  static RequestIds of(Context ctx, Instant now) {
    String clientRequestId = ctx.header("client-request-id");
    String correlation =
        clientRequestId != null && Identifiers.isGuid(clientRequestId.strip())
            ? Identifiers.normalize(clientRequestId.strip())
            : RequestId.next();
    return new RequestIds(RequestId.next(), correlation, now);
  }

  /** {@code yyyy-MM-dd HH:mm:ssZ}, with a space and no fraction, as Entra writes it. */
  String formattedTimestamp() {
    return ENTRA_TIMESTAMP.format(timestamp);
  }
}
