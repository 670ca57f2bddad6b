package dev.graphgate.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graphgate.server.Graphgate;
import dev.graphgate.server.testing.ApiClient;
import dev.graphgate.server.testing.GraphgateExtension;
import dev.graphgate.server.testing.TestServers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code end_user} on {@code PATCH /connections/{id}} and {@code POST /connections} is validated as Nango's connect
 * sessions validate it, stored in Nango's shape, and what a client reads back can be sent again.
 */
class EndUserApiTest {
  static final String TENANT = "a1b2c3d4-e5f6-47a8-9b0c-d1234567890f";
  static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final GraphgateExtension graphgate = GraphgateExtension.h2()
      .options(() -> Graphgate.Options.defaults().withSleeper(d -> { }));
  static ApiClient api;
  static String key;

  @BeforeAll
  static void start() {
    api = graphgate.api();
    key = TestServers.randomKey();
    api.post("/integrations", "{\"unique_key\":\"%s\",\"provider\":\"microsoft-oauth2-cc\"}".formatted(key));
  }

  static String imported(String endUser) {
    String cid = TestServers.randomKey();
    ApiClient.Response r = importWith(cid, endUser);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return cid;
  }

  static ApiClient.Response importWith(String cid, String endUser) {
    return api.post("/connections", """
        {"provider_config_key":"%s","connection_id":"%s","credentials":{"type":"OAUTH2_CC","client_id":"c","client_secret":"s"},
         "connection_config":{"tenantId":"%s"}%s}""".formatted(key, cid, TENANT, endUser == null ? "" : ",\"end_user\":" + endUser));
  }

  static ApiClient.Response patch(String cid, String endUser) {
    return api.patch("/connections/" + cid + "?provider_config_key=" + key, "{\"end_user\":" + endUser + "}");
  }

  static JsonNode storedEndUser(String cid) {
    return api.get("/connections?connectionId=" + cid).json().path("connections").get(0).path("end_user");
  }

  static List<String> problems(ApiClient.Response r) {
    List<String> out = new ArrayList<>();
    r.json().path("error").path("errors").forEach(e -> {
      List<String> path = new ArrayList<>();
      e.path("path").forEach(p -> path.add(p.asText()));
      out.add(String.join(".", path) + " " + e.path("code").asText());
    });
    return out;
  }

  @Test
  void anEndUserOfWrongTypesIsRefusedFieldByFieldAndNothingChanges() {
    String cid = imported("{\"id\":\"u-1\"}");
    ApiClient.Response r = patch(cid, "{\"id\":{},\"email\":5}");
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("invalid_body");
    assertThat(r.json().path("error").path("message").asText()).startsWith("end_user.id: Invalid input: expected string, received object");
    assertThat(problems(r)).containsExactlyInAnyOrder("end_user.id invalid_type", "end_user.email invalid_type");
    assertThat(storedEndUser(cid).path("id").asText()).isEqualTo("u-1");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no id                              | {\"email\":\"ann@example.com\"}                          | end_user.id invalid_type",
      "empty id                           | {\"id\":\"\"}                                            | end_user.id too_small",
      "id of 256 characters               | {\"id\":\"ID256\"}                                       | end_user.id too_big",
      "id with a control character        | {\"id\":\"u\\u0007\"}                                    | end_user.id invalid_string",
      "unknown key                        | {\"id\":\"u\",\"role\":\"admin\"}                        | end_user unrecognized_keys",
      "not an e-mail address              | {\"id\":\"u\",\"email\":\"not-an-address\"}              | end_user.email invalid_string",
      "e-mail address under 5 characters  | {\"id\":\"u\",\"email\":\"a@b\"}                         | end_user.email too_small",
      "e-mail address over 254 characters | {\"id\":\"u\",\"email\":\"EMAIL255\"}                    | end_user.email too_big",
      "display name over 255 characters   | {\"id\":\"u\",\"display_name\":\"ID256\"}                | end_user.display_name too_big",
      "display name with a line break     | {\"id\":\"u\",\"display_name\":\"Ann\\nB\"}              | end_user.display_name invalid_string",
      "tags not an object                 | {\"id\":\"u\",\"tags\":[\"a\"]}                          | end_user.tags invalid_type",
      "tag value not a string             | {\"id\":\"u\",\"tags\":{\"plan\":1}}                     | end_user.tags.plan invalid_type",
      "tag value over 255 characters      | {\"id\":\"u\",\"tags\":{\"plan\":\"ID256\"}}             | end_user.tags.plan too_big",
      "tag key starting with a digit      | {\"id\":\"u\",\"tags\":{\"1plan\":\"pro\"}}              | end_user.tags.1plan invalid_string",
      "tag keys equal but for case        | {\"id\":\"u\",\"tags\":{\"Plan\":\"a\",\"plan\":\"b\"}}  | end_user.tags.plan invalid_string",
      "end_user_email tag not an address  | {\"id\":\"u\",\"tags\":{\"end_user_email\":\"nope\"}}    | end_user.tags.end_user_email invalid_string",
      "eleven tags                        | {\"id\":\"u\",\"tags\":ELEVEN}                           | end_user.tags too_big",
      "organization without id            | {\"id\":\"u\",\"organization\":{\"display_name\":\"A\"}} | end_user.organization.id invalid_type",
      "organization with an unknown key   | {\"id\":\"u\",\"organization\":{\"id\":\"o\",\"x\":1}}   | end_user.organization unrecognized_keys",
      "organization id over 255           | {\"id\":\"u\",\"organization\":{\"id\":\"ID256\"}}       | end_user.organization.id too_big",
      "end user not an object             | \"u-1\"                                                  | end_user invalid_type"})
  void anInvalidEndUserIsRefusedOnPatchAndImport(String what, String endUser, String problem) {
    String body = endUser.replace("ID256", "x".repeat(256)).replace("EMAIL255", "a".repeat(243) + "@example.com")
        .replace("ELEVEN", eleventags());
    String cid = imported("{\"id\":\"u-1\"}");
    ApiClient.Response patched = patch(cid, body);
    assertThat(patched.status()).as(patched.body()).isEqualTo(400);
    assertThat(patched.code()).isEqualTo("invalid_body");
    assertThat(problems(patched)).contains(problem);
    assertThat(patched.json().path("error").path("message").asText()).isNotBlank();
    assertThat(storedEndUser(cid).path("id").asText()).as("unchanged").isEqualTo("u-1");

    String other = TestServers.randomKey();
    ApiClient.Response created = importWith(other, body);
    assertThat(created.status()).as(created.body()).isEqualTo(400);
    assertThat(problems(created)).contains(problem);
    assertThat(api.get("/connections?connectionId=" + other).json().path("connections").size()).as("not created").isZero();
  }

  static String eleventags() {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < 11; i++) {
      b.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
    }
    return b.append("}").toString();
  }

  @Test
  void aValidEndUserIsStoredInNangosShapeAndCanBeSentBackAsRead() throws Exception {
    String cid = imported(null);
    ApiClient.Response r = patch(cid, """
        {"id":"u-42","email":"ann.lee+crm@example.co.uk","display_name":"Ann Lee","tags":{"Plan":"pro","end_user_email":"ann@example.com"},
         "organization":{"id":"org-7","display_name":"Acme"}}""");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode stored = storedEndUser(cid);
    assertThat(stored).isEqualTo(JSON.readTree("""
        {"id":"u-42","email":"ann.lee+crm@example.co.uk","display_name":"Ann Lee","tags":{"Plan":"pro","end_user_email":"ann@example.com"},
         "organization":{"id":"org-7","display_name":"Acme"}}"""));
    assertThat(api.get("/connections?endUserId=u-42").json().path("connections")).hasSize(1);
    assertThat(api.get("/connections?endUserOrganizationId=org-7").json().path("connections")).hasSize(1);

    ApiClient.Response minimal = patch(cid, "{\"id\":\"u-43\"}");
    assertThat(minimal.status()).isEqualTo(200);
    JsonNode read = storedEndUser(cid);
    assertThat(read).isEqualTo(JSON.readTree("{\"id\":\"u-43\",\"email\":null,\"display_name\":null,\"tags\":{},\"organization\":null}"));
    ApiClient.Response again = patch(cid, read.toString());
    assertThat(again.status()).as("what was read is accepted back: " + again.body()).isEqualTo(200);
    assertThat(storedEndUser(cid)).isEqualTo(read);
  }

  @Test
  void theLargestEndUserTheRulesAllowFitsWhereItIsStored() {
    String quoted = "\"".repeat(254) + "é";
    StringBuilder tags = new StringBuilder("{");
    for (int i = 0; i < 10; i++) {
      tags.append(i == 0 ? "" : ",").append("\"t").append(i).append("x".repeat(62)).append("\":").append(JSON.valueToTree(quoted).toString());
    }
    tags.append("}");
    String big = "{\"id\":%s,\"email\":\"%s\",\"display_name\":%s,\"tags\":%s,\"organization\":{\"id\":%s,\"display_name\":%s}}".formatted(
        JSON.valueToTree(quoted), "a".repeat(242) + "@example.com", JSON.valueToTree(quoted), tags, JSON.valueToTree(quoted),
        JSON.valueToTree(quoted));
    String cid = imported(null);
    ApiClient.Response r = patch(cid, big);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(storedEndUser(cid).path("tags").size()).isEqualTo(10);
    assertThat(storedEndUser(cid).path("display_name").asText()).isEqualTo(quoted);
  }

  @Test
  void anEndUserAbsentOrNullLeavesTheStoredOneAlone() {
    String cid = imported("{\"id\":\"u-1\",\"display_name\":\"Ann\"}");
    assertThat(api.patch("/connections/" + cid + "?provider_config_key=" + key, "{\"tags\":{\"a\":\"b\"}}").status()).isEqualTo(200);
    assertThat(patch(cid, "null").status()).isEqualTo(200);
    assertThat(storedEndUser(cid).path("display_name").asText()).isEqualTo("Ann");
  }
}
