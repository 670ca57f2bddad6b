package dev.graphgate.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.GraphgateExtension;
import dev.graphgate.server.testing.TestServers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A corpus of hostile request bodies sent to every JSON write route of a running Graphgate: each is refused with a coded
 * 4xx JSON error that has a message, and nothing that {@code GET} can see changes. The routes' bodies are built from
 * templates that are valid with a benign value in their slot ({@link #templatesWithABenignSlotAreAccepted}), so a
 * refusal is caused by the hostile part alone.
 */
class HostileBodiesTest {
  static final String TENANT = "a1b2c3d4-e5f6-47a8-9b0c-d1234567890f";
  static final String CLIENT = "11112222-bbbb-3333-cccc-4444dddd5555";
  static final Set<String> KNOWN_CODES = Set.of("invalid_json", "invalid_body", "invalid_content_type", "payload_too_large",
      "unknown_connection", "not_found", "unknown_provider_config", "invalid_tenant_id");
  static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  @RegisterExtension static final GraphgateExtension graphgate = GraphgateExtension.h2().options(() -> Graphgate.Options.defaults().withSleeper(d -> { }));
  static ApiClient api;
  static long limit;
  static String key;
  static final String CID = "hostile-target";

  @BeforeAll
  static void start() {
    limit = graphgate.server().config().maxRequestBytes();
    api = graphgate.api();
    key = TestServers.randomKey();
    createTargets(key, CID);
  }

  /** An integration and an imported connection whose token is fresh, so reading it never calls Entra. */
  static void createTargets(String integration, String cid) {
    assertThat(api.post("/integrations", "{\"unique_key\":\"%s\",\"provider\":\"microsoft-oauth2-cc\"}".formatted(integration)).status())
        .isEqualTo(200);
    ApiClient.Response imported = api.post("/connections", connectionBody(integration, cid, "{\"plan\":\"pro\"}"));
    assertThat(imported.status()).as(imported.body()).isEqualTo(201);
  }

  static String connectionBody(String integration, String cid, String metadata) {
    Instant exp = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    return """
        {"provider_config_key":"%s","connection_id":"%s",
         "credentials":{"type":"OAUTH2_CC","client_id":"%s","client_secret":"s","token":"%s","expires_at":"%s"},
         "connection_config":{"tenantId":"%s"},"metadata":%s,"tags":{"end_user_id":"u-1"},"end_user":{"id":"u-1"}}"""
        .formatted(integration, cid, CLIENT, jwt(exp), exp, TENANT, metadata);
  }

  static String jwt(Instant exp) {
    Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
    return b.encodeToString("{\"alg\":\"none\"}".getBytes()) + "." + b.encodeToString(("{\"exp\":" + exp.getEpochSecond() + "}").getBytes()) + ".";
  }

  /**
   * One JSON write route. Each template has one {@code %s} slot: {@code free} where any JSON value is stored or ignored,
   * {@code string} an identifier-like string field (control characters and wrong types are refused there), {@code typed}
   * a field that wants an object or a boolean. The benign values make each template a valid request.
   */
  record Route(String method, String path, boolean takesBody, boolean emptyObjectValid, String firstKey, String free, String string,
      String typed, String benignFree, String benignString, String benignTyped) {
    String name() {
      return method + " " + path.replaceAll("\\?.*", "");
    }
  }

  /** Every JSON write route, aimed at {@code integration} and {@code cid}; {@code fresh} names what a POST would create. */
  static List<Route> routes(String integration, String cid, String fresh) {
    String credentials = "\"credentials\":{\"type\":\"OAUTH2_CC\",\"client_id\":\"" + CLIENT + "\",\"client_secret\":\"s\"},"
        + "\"connection_config\":{\"tenantId\":\"" + TENANT + "\"}";
    List<Route> routes = new ArrayList<>();
    routes.add(new Route("POST", "/integrations", true, false, "unique_key",
        "{\"unique_key\":\"" + fresh + "\",\"provider\":\"microsoft-oauth2-cc\",\"integration_config\":{\"x\":%s}}",
        "{\"unique_key\":%s,\"provider\":\"microsoft-oauth2-cc\"}",
        "{\"unique_key\":\"" + fresh + "\",\"provider\":\"microsoft-oauth2-cc\",\"forward_webhooks\":%s}",
        "1", "\"" + fresh + "\"", "false"));
    routes.add(new Route("PATCH", "/integrations/" + integration, true, true, "display_name",
        "{\"display_name\":\"Changed\",\"integration_config\":{\"x\":%s}}",
        "{\"display_name\":\"Changed\",\"unique_key\":%s}",
        "{\"forward_webhooks\":%s}",
        "1", "\"" + integration + "\"", "false"));
    routes.add(new Route("DELETE", "/integrations/" + integration, false, false, null, null, null, null, null, null, null));
    for (String base : List.of("/connections", "/connection")) {
      routes.add(new Route("POST", base, true, false, "provider_config_key",
          "{\"provider_config_key\":\"" + integration + "\",\"connection_id\":\"" + fresh + "\"," + credentials + ",\"metadata\":{\"x\":%s}}",
          "{\"provider_config_key\":\"" + integration + "\",\"connection_id\":%s," + credentials + "}",
          "{\"provider_config_key\":\"" + integration + "\",\"connection_id\":\"" + fresh + "\"," + credentials + ",\"metadata\":%s}",
          "1", "\"" + fresh + "\"", "{}"));
      String one = base + "/" + cid + "?provider_config_key=" + integration;
      routes.add(new Route("PATCH", one, true, true, "tags",
          "{\"tags\":{\"changed\":\"yes\"},\"end_user\":{\"id\":\"u-2\",\"display_name\":%s}}",
          "{\"tags\":{\"changed\":\"yes\"},\"end_user\":{\"id\":%s}}",
          "{\"tags\":%s}",
          "\"Ann\"", "\"u-2\"", "{\"changed\":\"yes\"}"));
      routes.add(new Route("DELETE", one, false, false, null, null, null, null, null, null, null));
      for (String method : List.of("POST", "PATCH")) {
        routes.add(new Route(method, base + "/metadata", true, false, "provider_config_key",
            "{\"provider_config_key\":\"" + integration + "\",\"connection_id\":\"" + cid + "\",\"metadata\":{\"x\":%s}}",
            "{\"provider_config_key\":\"" + integration + "\",\"connection_id\":%s,\"metadata\":{\"x\":1}}",
            "{\"provider_config_key\":\"" + integration + "\",\"connection_id\":\"" + cid + "\",\"metadata\":%s}",
            "1", "\"" + cid + "\"", "{\"x\":1}"));
      }
    }
    return routes;
  }

  /** A hostile body: its bytes, its Content-Type (null: none), and the codes it may be refused with on a route that reads bodies. */
  record Hostile(String name, byte[] body, String contentType, Set<String> codes, boolean chunked) {
    Hostile(String name, byte[] body, Set<String> codes) {
      this(name, body, "application/json", codes, false);
    }
  }

  static final Set<String> JSON = Set.of("invalid_json");
  static final Set<String> BODY = Set.of("invalid_body");

  /** Values that are not acceptable JSON wherever they appear. */
  static List<String[]> malformedValues() {
    List<String[]> v = new ArrayList<>();
    v.add(new String[] {"arrays nested 1,001 deep (beyond Jackson's limit)", "[".repeat(1001) + "]".repeat(1001)});
    v.add(new String[] {"objects nested 1,001 deep", "{\"a\":".repeat(1001) + "1" + "}".repeat(1001)});
    v.add(new String[] {"arrays nested 101 deep (beyond Graphgate's limit)", "[".repeat(101) + "]".repeat(101)});
    v.add(new String[] {"integer of 1,001 digits", "9".repeat(1001)});
    v.add(new String[] {"negative integer of 1,001 digits", "-" + "9".repeat(1001)});
    v.add(new String[] {"decimal of 1,001 digits", "1." + "1".repeat(1000)});
    v.add(new String[] {"exponent of 1,001 digits", "1e" + "1".repeat(1001)});
    v.add(new String[] {"mantissa of 1,001 digits with an exponent", "1".repeat(1001) + "e5"});
    v.add(new String[] {"number that overflows a double", "1e999"});
    v.add(new String[] {"negative number that overflows a double", "-1.5E400"});
    v.add(new String[] {"NaN", "NaN"});
    v.add(new String[] {"Infinity", "Infinity"});
    v.add(new String[] {"leading zero", "01"});
    v.add(new String[] {"leading plus", "+1"});
    v.add(new String[] {"hexadecimal", "0x1F"});
    v.add(new String[] {"single-quoted string", "'x'"});
    v.add(new String[] {"comment", "/* c */ 1"});
    v.add(new String[] {"trailing comma in an array", "[1,]"});
    v.add(new String[] {"trailing comma in an object", "{\"a\":1,}"});
    v.add(new String[] {"unquoted key", "{a:1}"});
    v.add(new String[] {"missing colon", "{\"a\" 1}"});
    v.add(new String[] {"bare word", "tru"});
    v.add(new String[] {"nested duplicate key", "{\"d\":1,\"d\":2}"});
    v.add(new String[] {"duplicate key deeper down", "{\"a\":{\"b\":{\"d\":1,\"d\":2}}}"});
    v.add(new String[] {"lone high surrogate", "\"\\ud800\""});
    v.add(new String[] {"lone low surrogate", "\"a\\udc00b\""});
    v.add(new String[] {"high surrogate followed by a letter", "\"\\ud83d\\u0041\""});
    v.add(new String[] {"two high surrogates", "\"\\ud83d\\ud83d\""});
    v.add(new String[] {"lone surrogate in a key", "{\"\\udfff\":1}"});
    v.add(new String[] {"escaped NUL", "\"a\\u0000b\""});
    v.add(new String[] {"escaped NUL in a key", "{\"\\u0000\":1}"});
    v.add(new String[] {"raw NUL in a string", "\"a\u0000b\""});
    v.add(new String[] {"raw control character in a string", "\"a\u0001b\""});
    v.add(new String[] {"raw tab in a string", "\"a\tb\""});
    v.add(new String[] {"raw line break in a string", "\"a\nb\""});
    v.add(new String[] {"invalid escape", "\"\\x41\""});
    v.add(new String[] {"short unicode escape", "\"\\u12\""});
    v.add(new String[] {"key longer than Jackson's name limit", "{\"" + "k".repeat(60_000) + "\":1}"});
    return v;
  }

  /**
   * The codes for a bad value in the string slot. On the metadata routes that slot is {@code connection_id}, which may
   * be any string or a list of them: a value of the right type names a connection that does not exist.
   */
  static Set<String> identifier(Route r) {
    return r.path().endsWith("/metadata") ? Set.of("invalid_body", "unknown_connection") : BODY;
  }

  static List<Hostile> corpus(Route r) {
    List<Hostile> c = new ArrayList<>();
    String valid = r.takesBody() ? r.free().formatted(r.benignFree()) : "{}";
    if (r.takesBody()) {
      List<String[]> malformed = malformedValues();
      for (int i = 0; i < malformed.size(); i++) {
        String[] m = malformed.get(i);
        c.add(new Hostile("free slot: " + m[0], utf8(r.free().formatted(m[1])), JSON));
        if (i % 3 == 0) {
          // Where the value stands does not change how it is read: a third of them in the other slot is enough.
          c.add(new Hostile("string slot: " + m[0], utf8(r.string().formatted(m[1])), JSON));
        }
      }
      c.add(new Hostile("empty body", new byte[0], BODY));
      c.add(new Hostile("whitespace only", utf8(" \t\r\n "), BODY));
      for (String notObject : List.of("[]", "[" + valid + "]", "\"text\"", "42", "-0.5", "null", "true", "false")) {
        c.add(new Hostile("not an object: " + abbreviate(notObject), utf8(notObject), BODY));
      }
      if (!r.emptyObjectValid()) {
        c.add(new Hostile("{}", utf8("{}"), BODY));
        c.add(new Hostile("BOM then {}", concat(BOM, utf8("{}")), BODY));
      }
      c.add(new Hostile("duplicate top-level key", utf8("{\"" + r.firstKey() + "\":\"x\"," + valid.substring(1)), JSON));
      c.add(new Hostile("duplicate top-level key, last", utf8(valid.substring(0, valid.length() - 1) + ",\"" + r.firstKey() + "\":\"x\"}"), JSON));
      for (String tail : List.of(" x", "}", ",", " {}", " " + valid, "\u0000", " //")) {
        c.add(new Hostile("trailing garbage " + abbreviate(tail), utf8(valid + tail), JSON));
      }
      c.add(new Hostile("unterminated", utf8(valid.substring(0, valid.length() - 1)), JSON));
      c.add(new Hostile("two BOMs", concat(BOM, BOM, utf8(valid)), JSON));
      c.add(new Hostile("BOM inside the object", utf8("{\uFEFF" + valid.substring(1)), JSON));
      c.add(new Hostile("UTF-16 with BOM", concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, valid.getBytes(StandardCharsets.UTF_16BE)), JSON));
      c.add(new Hostile("UTF-16LE without BOM", valid.getBytes(StandardCharsets.UTF_16LE), JSON));
      c.add(new Hostile("UTF-32 with BOM", concat(new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF}, valid.getBytes(Charset.forName("UTF-32BE"))), JSON));
      c.add(new Hostile("Latin-1 bytes", r.free().formatted("\"café\"").getBytes(StandardCharsets.ISO_8859_1), JSON));
      for (byte[] bad : List.of(bytes(0xC3, 0x28), bytes(0xC0, 0xAF), bytes(0xED, 0xA0, 0x80), bytes(0xF4, 0x90, 0x80, 0x80), bytes(0xFF),
          bytes(0x80), bytes(0xE2, 0x82))) {
        c.add(new Hostile("invalid UTF-8 " + hex(bad), splice(r.free(), concat(utf8("\"a"), bad, utf8("b\""))), JSON));
      }
      c.add(new Hostile("invalid UTF-8 at the very end", concat(utf8(valid), bytes(0xC3)), JSON));
      for (String v : List.of("123", "-1", "1e3", "true", "[]", "{}", "[\"a\"]")) {
        c.add(new Hostile("number or other type where a string is expected: " + v, utf8(r.string().formatted(v)), identifier(r)));
      }
      for (String v : List.of("\"a\\u0001b\"", "\"a\\u001fb\"", "\"a\\u007fb\"", "\"a\\u0085b\"", "\"\\n\"", "\"\"")) {
        c.add(new Hostile("control character or empty in an identifier: " + v, utf8(r.string().formatted(v)), identifier(r)));
      }
      for (String v : List.of("\"true\"", "1", "[]", "\"{}\"", "1.5e3")) {
        c.add(new Hostile("wrong type: " + v, utf8(r.typed().formatted(v)), BODY));
      }
      c.add(new Hostile("a huge string just under the body limit", utf8(r.string().formatted("\"" + "x".repeat((int) limit - 2_000) + "\"")),
          identifier(r)));
      c.add(new Hostile("a long unknown key", utf8("{\"" + "k".repeat(40_000) + "\":1," + valid.substring(1)), BODY));
      for (String proto : List.of("__proto__", "constructor", "prototype")) {
        c.add(new Hostile(proto + " key", utf8("{\"" + proto + "\":{\"polluted\":true}," + valid.substring(1)), BODY));
      }
    } else {
      c.add(new Hostile("{} on a route that takes no body", utf8("{}"), BODY));
      c.add(new Hostile("malformed JSON on a route that takes no body", utf8("{\"a\":"), BODY));
      c.add(new Hostile("deep nesting on a route that takes no body", utf8("[".repeat(1001) + "]".repeat(1001)), BODY));
      c.add(new Hostile("whitespace on a route that takes no body", utf8("  "), BODY));
    }
    byte[] over = utf8("{\"x\":\"" + "x".repeat((int) limit) + "\"}");
    c.add(new Hostile("a huge string just over the body limit", over, Set.of("payload_too_large")));
    c.add(new Hostile("a huge string over the body limit, chunked", over, "application/json", Set.of("payload_too_large"), true));
    for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml",
        "application/json-patch+json", "application/jsonx", "application/json; charset=iso-8859-1", "application/json; charset=utf-16",
        "text/json")) {
      c.add(new Hostile("Content-Type " + type, utf8(valid), type, Set.of("invalid_content_type"), false));
    }
    return c;
  }

  @Test
  void everyHostileBodyOnEveryWriteRouteIsACoded4xxAndChangesNothing() throws Exception {
    SoftAssertions softly = new SoftAssertions();
    String before = state();
    int sent = 0;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (Route r : routes(key, CID, "hostile-created")) {
        List<Hostile> corpus = corpus(r);
        List<Future<ApiClient.Response>> answers = new ArrayList<>();
        for (Hostile h : corpus) {
          answers.add(pool.submit(() -> send(r, h)));
        }
        for (int i = 0; i < corpus.size(); i++) {
          String what = r.name() + " <- " + corpus.get(i).name();
          ApiClient.Response res;
          try {
            res = answers.get(i).get();
          } catch (ExecutionException e) {
            softly.fail(what + ": no answer (" + e.getCause() + ")");
            continue;
          }
          sent++;
          softly.assertThat(res.status()).as(what + ": " + abbreviate(res.body())).isBetween(400, 499);
          JsonNode error = res.json() == null ? null : res.json().path("error");
          softly.assertThat(error).as(what + ": JSON error body, got " + abbreviate(res.body())).isNotNull();
          if (error != null) {
            Set<String> expected = r.takesBody() ? corpus.get(i).codes() : Set.of("invalid_body", "invalid_content_type", "payload_too_large");
            softly.assertThat(error.path("code").asText()).as(what + ": code, message " + abbreviate(error.path("message").asText()))
                .isIn(expected);
            softly.assertThat(KNOWN_CODES).as(what).contains(error.path("code").asText());
            softly.assertThat(error.path("message").asText()).as(what + ": message").isNotBlank();
            softly.assertThat(res.body().length()).as(what + ": the answer does not echo the huge input").isLessThan(4_000);
          }
        }
        // Compared once per route, after all its bodies, so the corpus runs in seconds; each body's own answer is
        // checked above, and a refused body that still wrote something shows here with its route.
        String after = state();
        softly.assertThat(after).as(r.name() + ": state unchanged by its " + corpus.size() + " hostile bodies").isEqualTo(before);
        before = after;
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(sent).isGreaterThan(1000);
    softly.assertAll();
  }

  /** Each template with its benign value is a valid request, so the corpus's refusals come from the hostile parts. */
  @Test
  void templatesWithABenignSlotAreAccepted() {
    SoftAssertions softly = new SoftAssertions();
    int n = 0;
    for (String slot : List.of("free", "string", "typed", "none")) {
      for (int i = 0; i < routes("k", "c", "f").size(); i++) {
        String integration = TestServers.randomKey();
        String cid = "c-" + UUID.randomUUID();
        createTargets(integration, cid);
        Route r = routes(integration, cid, "f-" + (n++)).get(i);
        String body = !r.takesBody() ? null : switch (slot) {
          case "free" -> r.free().formatted(r.benignFree());
          case "string" -> r.string().formatted(r.benignString());
          case "typed" -> r.typed().formatted(r.benignTyped());
          default -> r.emptyObjectValid() ? "{}" : null;
        };
        if (r.takesBody() && body == null) {
          continue;
        }
        ApiClient.Response res = send(r, body == null ? null : new Hostile("benign", utf8(body), BODY));
        softly.assertThat(res.status()).as(r.name() + " with the benign " + slot + " value: " + abbreviate(res.body())).isBetween(200, 299);
        // Leave only the corpus's own targets behind: the corpus test reads every connection after each body.
        api.delete("/integrations/" + integration);
        api.delete("/integrations/f-" + (n - 1));
      }
    }
    softly.assertAll();
  }

  /** A connection of its own, for the tests below that change what they write. */
  static String freshConnection() {
    String cid = "c-" + UUID.randomUUID();
    ApiClient.Response r = api.post("/connections", connectionBody(key, cid, "{}"));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return cid;
  }

  static ApiClient.Response setMetadata(String cid, String value) {
    return api.post("/connections/metadata", "{\"provider_config_key\":\"%s\",\"connection_id\":\"%s\",\"metadata\":{\"x\":%s}}"
        .formatted(key, cid, value));
  }

  static JsonNode metadata(String cid) {
    ApiClient.Response list = api.get("/connections?connectionId=" + cid);
    assertThat(list.status()).as(list.body()).isEqualTo(200);
    return list.json().path("connections").get(0).path("metadata");
  }

  static String message(ApiClient.Response r) {
    return r.json().path("error").path("message").asText();
  }

  @Test
  void aBodyNestedDeeperThan100LevelsIsInvalidJsonNamingTheLimit() {
    String cid = freshConnection();
    // The body's object, metadata's object, then 98 arrays: 100 levels, the most there may be.
    ApiClient.Response deepest = setMetadata(cid, "[".repeat(98) + "]".repeat(98));
    assertThat(deepest.status()).as(deepest.body()).isEqualTo(201);
    assertThat(metadata(cid).path("x").isArray()).as("stored, and written back inside the list's answer").isTrue();
    assertThat(api.get("/connections/" + cid + "?provider_config_key=" + key).status()).isEqualTo(200);

    for (int arrays : new int[] {99, 1001, 100_000}) {
      ApiClient.Response r = setMetadata(cid, "[".repeat(arrays) + "]".repeat(arrays));
      assertThat(r.status()).as(r.body()).isEqualTo(400);
      assertThat(r.code()).isEqualTo("invalid_json");
      assertThat(message(r)).isEqualTo("The JSON body is nested deeper than 100 levels, the most Graphgate reads.");
    }
  }

  @Test
  void aNumberLongerThan1000DigitsIsInvalidJsonNamingTheLimit() {
    String cid = freshConnection();
    String longest = "9".repeat(1000);
    assertThat(setMetadata(cid, longest).status()).isEqualTo(201);
    assertThat(metadata(cid).path("x").bigIntegerValue()).isEqualTo(new java.math.BigInteger(longest));

    for (String n : List.of("9".repeat(1001), "-" + "9".repeat(1001), "1." + "1".repeat(1000), "1e" + "5".repeat(1000), "5".repeat(500) + "." + "5".repeat(500) + "e1")) {
      ApiClient.Response r = setMetadata(cid, n);
      assertThat(r.status()).as(r.body()).isEqualTo(400);
      assertThat(r.code()).isEqualTo("invalid_json");
      assertThat(message(r)).isEqualTo("The JSON body holds a number longer than 1000 digits, the most Graphgate reads.");
    }
    ApiClient.Response huge = setMetadata(cid, "1e999");
    assertThat(huge.code()).isEqualTo("invalid_json");
    assertThat(message(huge)).contains("too large for a double").contains("/metadata/x");
    assertThat(metadata(cid).path("x").bigIntegerValue()).as("unchanged").isEqualTo(new java.math.BigInteger(longest));
  }

  @Test
  void aKeyLongerThan50000CharactersIsInvalidJsonNamingTheLimit() {
    String cid = freshConnection();
    ApiClient.Response r = setMetadata(cid, "{\"" + "k".repeat(50_001) + "\":1}");
    assertThat(r.code()).isEqualTo("invalid_json");
    assertThat(message(r)).isEqualTo("The JSON body holds an object key longer than 50000 characters, the most Graphgate reads.");
    assertThat(setMetadata(cid, "{\"" + "k".repeat(50_000) + "\":1}").status()).isEqualTo(201);
  }

  @Test
  void aDuplicateKeyIsInvalidJsonNamingTheKeyAndNothingIsCreated() {
    String a = TestServers.randomKey();
    String b = TestServers.randomKey();
    ApiClient.Response top = api.post("/integrations",
        "{\"unique_key\":\"%s\",\"provider\":\"microsoft-oauth2-cc\",\"unique_key\":\"%s\"}".formatted(a, b));
    assertThat(top.status()).as(top.body()).isEqualTo(400);
    assertThat(top.code()).isEqualTo("invalid_json");
    assertThat(message(top)).startsWith("Duplicate key \"unique_key\" in the object at the top level").contains("line 1, column");
    assertThat(api.get("/integrations/" + a).status()).isEqualTo(404);
    assertThat(api.get("/integrations/" + b).status()).isEqualTo(404);

    String cid = freshConnection();
    ApiClient.Response nested = setMetadata(cid, "{\"plan\":\"free\",\"plan\":\"pro\"}");
    assertThat(nested.code()).isEqualTo("invalid_json");
    assertThat(message(nested)).startsWith("Duplicate key \"plan\" in the object at /metadata/x");
    assertThat(metadata(cid).has("x")).isFalse();

    ApiClient.Response longKey = setMetadata(cid, "{\"%s\":1,\"%<s\":2}".formatted("k".repeat(40_000)));
    assertThat(longKey.code()).isEqualTo("invalid_json");
    assertThat(message(longKey)).startsWith("Duplicate key \"kkk").hasSizeLessThan(200);
  }

  @Test
  void textNoStoreCanKeepIsInvalidJsonNamingWhereItIs() {
    String cid = freshConnection();
    ApiClient.Response surrogate = setMetadata(cid, "{\"a\":[\"ok\",\"\\ud800\"]}");
    assertThat(surrogate.code()).isEqualTo("invalid_json");
    assertThat(message(surrogate)).isEqualTo("The JSON body holds an unpaired surrogate (\\ud800), which is not a character, in the string at /metadata/x/a/1");
    ApiClient.Response nul = setMetadata(cid, "\"a\\u0000b\"");
    assertThat(nul.code()).isEqualTo("invalid_json");
    assertThat(message(nul)).contains("NUL").contains("/metadata/x");
    assertThat(setMetadata(cid, "\"\\ud83d\\ude00 \\u0001\"").status()).as("a pair, and other escaped control characters, are text").isEqualTo(201);

    ApiClient.Response bytes = api.send(api.request("/connections/metadata").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(concat(utf8("{\"provider_config_key\":\"" + key + "\",\"connection_id\":\"" + cid
            + "\",\"metadata\":{\"x\":\"caf"), bytes(0xE9), utf8("\"}}")))));
    assertThat(bytes.code()).isEqualTo("invalid_json");
    assertThat(message(bytes)).startsWith("The body is not valid UTF-8: the byte 0xE9 at offset");
  }

  @Test
  void aLeadingByteOrderMarkIsIgnored() {
    String cid = freshConnection();
    ApiClient.Response r = api.send(api.request("/connections/metadata").header("Content-Type", "application/json; charset=UTF-8")
        .POST(HttpRequest.BodyPublishers.ofByteArray(concat(BOM, utf8("{\"provider_config_key\":\"" + key + "\",\"connection_id\":\""
            + cid + "\",\"metadata\":{\"x\":\"é\"}}")))));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(metadata(cid).path("x").asText()).isEqualTo("é");
  }

  @Test
  void metadataLargerThanItsColumnIsRefusedOnEveryRouteThatWritesIt() {
    String cid = freshConnection();
    String half = "\"" + "x".repeat(600_000) + "\"";
    String tooMuch = "\"" + "x".repeat((int) limit - 1_000) + "\"";
    ApiClient.Response replaced = setMetadata(cid, tooMuch);
    assertThat(replaced.status()).as(abbreviate(replaced.body())).isEqualTo(400);
    assertThat(replaced.code()).isEqualTo("invalid_body");
    assertThat(message(replaced)).contains("1000000 characters");
    assertThat(metadata(cid).has("x")).isFalse();

    // Each merge fits; together they would not.
    assertThat(setMetadata(cid, half).status()).isEqualTo(201);
    ApiClient.Response merged = api.patch("/connections/metadata", "{\"provider_config_key\":\"%s\",\"connection_id\":\"%s\",\"metadata\":{\"y\":%s}}"
        .formatted(key, cid, half));
    assertThat(merged.status()).as(abbreviate(merged.body())).isEqualTo(400);
    assertThat(message(merged)).contains("once merged");
    assertThat(metadata(cid).has("y")).isFalse();

    String other = "c-" + UUID.randomUUID();
    ApiClient.Response imported = api.post("/connections", connectionBody(key, other, "{\"x\":" + tooMuch + "}"));
    assertThat(imported.status()).as(abbreviate(imported.body())).isEqualTo(400);
    ApiClient.Response config = api.post("/connections", connectionBody(key, other, "{}")
        .replace("\"connection_config\":{", "\"connection_config\":{\"x\":\"" + "x".repeat(100_000) + "\","));
    assertThat(config.status()).as(abbreviate(config.body())).isEqualTo(400);
    assertThat(message(config)).contains("connection_config");
    assertThat(api.get("/connections?connectionId=" + other).json().path("connections").size()).isZero();
  }

  @Test
  void tagsThatDifferOnlyInCaseAreRefused() {
    String cid = freshConnection();
    ApiClient.Response r = api.patch("/connections/" + cid + "?provider_config_key=" + key, "{\"tags\":{\"Env\":\"a\",\"env\":\"b\"}}");
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(message(r)).contains("Duplicate tag key after case normalization: \"env\"");
    ApiClient.Response control = api.patch("/connections/" + cid + "?provider_config_key=" + key, "{\"tags\":{\"env\":\"a\\u0001\"}}");
    assertThat(control.status()).as(control.body()).isEqualTo(400);
    assertThat(message(control)).contains("control characters");
  }

  static ApiClient.Response send(Route r, Hostile h) {
    HttpRequest.Builder b = api.request(r.path());
    if (h == null) {
      return api.send(b.method(r.method(), HttpRequest.BodyPublishers.noBody()));
    }
    if (h.contentType() != null) {
      b.header("Content-Type", h.contentType());
    }
    HttpRequest.BodyPublisher body = h.chunked()
        ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(h.body()))
        : HttpRequest.BodyPublishers.ofByteArray(h.body());
    return api.send(b.method(r.method(), body));
  }

  /** Everything a client can read: the integrations, the connections, and each connection in full (less the read's own time). */
  static String state() {
    StringBuilder s = new StringBuilder();
    JsonNode integrations = api.get("/integrations").json();
    s.append(integrations);
    for (JsonNode i : integrations.path("data")) {
      s.append(api.get("/integrations/" + i.path("unique_key").asText() + "?include=webhook&include=credentials").body());
    }
    JsonNode connections = api.get("/connections").json();
    s.append(connections);
    for (JsonNode c : connections.path("connections")) {
      ApiClient.Response one = api.get("/connections/" + c.path("connection_id").asText() + "?provider_config_key="
          + c.path("provider_config_key").asText());
      ObjectNode full = (ObjectNode) one.json();
      full.remove("last_fetched_at");
      s.append(one.status()).append(full);
    }
    // Every read hands out a fresh admin consent link, with a new one-time state; the rest of the link must not change.
    return s.toString().replaceAll("([?&]state=)[A-Za-z0-9._~%-]+", "$1(per read)");
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** The template with raw bytes in its slot. */
  static byte[] splice(String template, byte[] slot) {
    int at = template.indexOf("%s");
    return concat(utf8(template.substring(0, at)), slot, utf8(template.substring(at + 2)));
  }

  static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      s.append(String.format("%02X ", x));
    }
    return s.toString().trim();
  }

  static String abbreviate(String s) {
    String printable = s.replaceAll("\\p{Cntrl}", "?");
    return printable.length() <= 200 ? printable : printable.substring(0, 200) + "…(" + s.length() + " chars)";
  }
}
