package dev.graphgate.emulator.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.core.requests.BaseGraphRequestAdapter;
import com.microsoft.graph.core.tasks.PageIterator;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.models.User;
import com.microsoft.graph.models.UserCollectionResponse;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import dev.graphgate.emulator.directory.Tenant;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Microsoft's own Graph client (SDK v6 over kiota) against the emulator: our pages, links, batches and errors. */
class GraphSdkTest {

  static GraphTestEmulator emulator;
  static Tenant tenant;
  static GraphServiceClient client;

  @BeforeAll
  static void start() {
    emulator = GraphTestEmulator.start();
    tenant = emulator.tenant("sdk", GraphTestEmulator.spec(230, 2, 10, 12, 0, 0, 1));
    String token = emulator.token(tenant, "User.Read.All", "Mail.Read");
    AccessTokenProvider tokens = new AccessTokenProvider() {
      private final AllowedHostsValidator hosts = new AllowedHostsValidator("127.0.0.1");

      @Override
      public String getAuthorizationToken(URI uri, Map<String, Object> context) {
        return hosts.isUrlHostValid(uri) ? token : "";
      }

      @Override
      public AllowedHostsValidator getAllowedHostsValidator() {
        return hosts;
      }
    };
    BaseGraphRequestAdapter adapter = new BaseGraphRequestAdapter(new BaseBearerTokenAuthenticationProvider(tokens));
    adapter.setBaseUrl(emulator.emulator.graphUrl() + "/v1.0");
    client = new GraphServiceClient(adapter);
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void pageIteratorListsEveryUserAcrossPages() throws Exception {
    UserCollectionResponse first = client.users().get(config -> {
      config.queryParameters.top = 50;
      config.queryParameters.select = new String[] {"id", "displayName", "userPrincipalName"};
    });
    assertThat(first.getValue()).hasSize(50);
    assertThat(first.getOdataNextLink()).startsWith(emulator.emulator.graphUrl() + "/v1.0/users?");
    List<User> users = new ArrayList<>();
    PageIterator<User, UserCollectionResponse> pages = new PageIterator.Builder<User, UserCollectionResponse>()
        .client(client)
        .collectionPage(first)
        .collectionPageFactory(UserCollectionResponse::createFromDiscriminatorValue)
        .processPageItemCallback(user -> users.add(user))
        .build();
    pages.iterate();
    assertThat(users).hasSize(230);
    assertThat(new HashSet<>(users.stream().map(User::getId).toList())).hasSize(230);
    assertThat(users.getFirst().getUserPrincipalName()).endsWith("@sdk.onmicrosoft.com");
  }

  @Test
  void aUsersMessagesAreReadWithTheirBodies() {
    User user = client.users().get(config -> config.queryParameters.top = 1).getValue().getFirst();
    List<Message> messages = client.users().byUserId(user.getId()).messages().get().getValue();
    assertThat(messages).hasSize(10);
    Message message = client.users().byUserId(user.getUserPrincipalName()).messages().byMessageId(messages.getFirst().getId()).get();
    assertThat(message.getSubject()).isNotBlank();
    assertThat(message.getBody().getContent()).contains("<html>");
    assertThat(message.getReceivedDateTime()).isNotNull();
    List<Message> inbox = client.users().byUserId(user.getId()).mailFolders().byMailFolderId("inbox").messages().get(c -> c.queryParameters.top = 100).getValue();
    assertThat(inbox).isNotEmpty().allSatisfy(m -> assertThat(m.getParentFolderId()).isEqualTo(inbox.getFirst().getParentFolderId()));
  }

  @Test
  void aBatchAnswersEachRequestByItsId() throws Exception {
    List<User> two = client.users().get(config -> config.queryParameters.top = 2).getValue();
    BatchRequestContent batch = new BatchRequestContent(client);
    String first = batch.addBatchRequestStep(client.users().byUserId(two.get(0).getId()).toGetRequestInformation());
    String second = batch.addBatchRequestStep(client.users().byUserId(two.get(1).getId()).messages().toGetRequestInformation(c -> c.queryParameters.top = 3));
    String missing = batch.addBatchRequestStep(client.users().byUserId("00000000-0000-4000-8000-000000000000").toGetRequestInformation());
    BatchResponseContent responses = client.getBatchRequestBuilder().post(batch, null);
    assertThat(responses.getResponsesStatusCode()).containsEntry(first, 200).containsEntry(second, 200).containsEntry(missing, 404);
    User user = responses.getResponseById(first, User::createFromDiscriminatorValue);
    assertThat(user.getId()).isEqualTo(two.get(0).getId());
    assertThat(responses.getResponseById(second, com.microsoft.graph.models.MessageCollectionResponse::createFromDiscriminatorValue).getValue()).hasSize(3);
  }

  @Test
  void graphErrorsArriveAsODataErrorsWithTheirCodes() {
    assertThatThrownBy(() -> client.users().byUserId("00000000-0000-4000-8000-000000000000").get())
        .isInstanceOfSatisfying(ODataError.class, e -> {
          assertThat(e.getResponseStatusCode()).isEqualTo(404);
          assertThat(e.getError().getCode()).isEqualTo("Request_ResourceNotFound");
        });
    assertThatThrownBy(() -> client.groups().get())
        .isInstanceOfSatisfying(ODataError.class, e -> {
          assertThat(e.getResponseStatusCode()).isEqualTo(403);
          assertThat(e.getError().getCode()).isEqualTo("Authorization_RequestDenied");
        });
  }
}
