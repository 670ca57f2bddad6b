package dev.graphgate.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graphgate.server.Graphgate;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** What the customer's backend and the Connect UI do with connect sessions, over real HTTP. */
public final class ConnectSessionsRig {
  private ConnectSessionsRig() {}

  /** {@code POST /connect/sessions} with the secret key; the session's token. */
  public static String session(ApiClient api, String body) {
    ApiClient.Response r = api.post("/connect/sessions", body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().path("data").path("token").asText();
  }

  /** A client that sends {@code token} as its bearer, as the Connect UI does. */
  public static ApiClient asSession(Graphgate server, String token) {
    return new ApiClient(server.baseUrl(), token);
  }

  /**
   * What the frontend SDK sends to create a connection: {@code POST <route>/<key>?connect_session_token=<token>&<query>}
   * with a JSON body and no Authorization header.
   */
  public static ApiClient.Response create(Graphgate server, String route, String key, String token, String query, String body) {
    String q = (token == null ? "" : "connect_session_token=" + token) + (query.isEmpty() ? "" : (token == null ? "" : "&") + query);
    return new ApiClient(server.baseUrl(), null).post(route + key + (q.isEmpty() ? "" : "?" + q), body);
  }

  /** {@code params[tenantId]=<tenant>}, encoded as the frontend SDK encodes it. */
  public static String tenantParam(String tenant) {
    return "params%5BtenantId%5D=" + URLEncoder.encode(tenant, StandardCharsets.UTF_8);
  }

  /** How many connections the database holds: what a refused creation must leave unchanged. */
  public static long connectionCount(TestDatabase db) {
    try (Connection c = db.open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM connections")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
