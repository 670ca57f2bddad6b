package dev.graphgate.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.core.requests.BaseGraphRequestAdapter;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.core.tasks.PageIterator;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.models.MessageCollectionResponse;
import com.microsoft.graph.models.User;
import com.microsoft.graph.models.UserCollectionResponse;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AnonymousAuthenticationProvider;
import dev.graphgate.server.config.ProxyConfig;
import dev.graphgate.server.testing.ProxyRig;
import dev.graphgate.server.testing.ProxyRigExtension;
import dev.graphgate.server.testing.TestServers;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Microsoft's own Graph client (SDK v6) through the proxy, as a user would set it up: base URL
 * {@code {graphgate}/proxy/v1.0}, anonymous authentication (Graphgate holds the tokens), and an OkHttp interceptor that
 * adds Graphgate's secret key, the connection's headers and {@code Graphgate-Rewrite-Links: true} to requests for
 * Graphgate, and to nothing else. Graph is the emulator's, with generated data.
 *
 * <p>This Graphgate lets one request per tenant be in flight ({@code GRAPHGATE_PROXY_TENANT_CONCURRENCY=1}): then
 * "no second 429 for a closed window" is exact and checkable from the emulator's counters, however many SDK threads
 * call at once.
 */
class GraphSdkThroughProxyTest {
  static final int USERS = 230;
  @RegisterExtension static final ProxyRigExtension rig = ProxyRigExtension.withEmulatorGraph()
      .config(b -> b.proxy(ProxyConfig.defaults().withTenant(new ProxyConfig.GateLimits(1, 0))));
  static GraphServiceClient graph;

  @BeforeAll
  static void start() {
    rig.emulator().generate(ProxyRig.TENANT_ID, "{\"users\": " + USERS + ", \"groups\": 2, \"membersPerGroup\": 10, \"messagesPerMailbox\": 12}");
    graph = sdkClient(rig.graphgate().baseUrl());
  }

  /** What a user of Graphgate writes to point Microsoft's SDK at it. */
  static GraphServiceClient sdkClient(URI graphgate) {
    Interceptor graphgateHeaders = chain -> {
      Request r = chain.request();
      if (!r.url().host().equals(graphgate.getHost()) || r.url().port() != graphgate.getPort()) {
        return chain.proceed(r); // Graphgate's secret key goes to Graphgate only
      }
      return chain.proceed(r.newBuilder()
          .header("Authorization", "Bearer " + TestServers.SECRET_KEY)
          .header("Connection-Id", ProxyRig.CONNECTION)
          .header("Provider-Config-Key", ProxyRig.INTEGRATION)
          .header("Graphgate-Rewrite-Links", "true")
          .header("Retries", "6")
          .build());
    };
    OkHttpClient http = GraphClientFactory.create().addInterceptor(graphgateHeaders).build();
    BaseGraphRequestAdapter adapter = new BaseGraphRequestAdapter(new AnonymousAuthenticationProvider(), graphgate + "/proxy/v1.0", http);
    return new GraphServiceClient(adapter);
  }

  static List<User> allUsers(int pageSize) throws Exception {
    UserCollectionResponse first = graph.users().get(c -> {
      c.queryParameters.top = pageSize;
      c.queryParameters.select = new String[] {"id", "displayName", "userPrincipalName"};
    });
    List<User> users = new ArrayList<>();
    new PageIterator.Builder<User, UserCollectionResponse>()
        .client(graph)
        .collectionPage(first)
        .collectionPageFactory(UserCollectionResponse::createFromDiscriminatorValue)
        .processPageItemCallback(users::add)
        .build()
        .iterate();
    return users;
  }

  /** A batch's answer and the ids its three steps got. */
  record Batch(BatchResponseContent responses, String user, String messages, String missing) {}

  static Batch batchOf(User a, User b) throws Exception {
    BatchRequestContent batch = new BatchRequestContent(graph);
    String user = batch.addBatchRequestStep(graph.users().byUserId(a.getId()).toGetRequestInformation());
    String messages = batch.addBatchRequestStep(graph.users().byUserId(b.getId()).messages().toGetRequestInformation(c -> c.queryParameters.top = 3));
    String missing = batch.addBatchRequestStep(graph.users().byUserId("00000000-0000-4000-8000-000000000000").toGetRequestInformation());
    return new Batch(graph.getBatchRequestBuilder().post(batch, null), user, messages, missing);
  }

  @Test
  void thePageIteratorListsEveryUserAcrossPagesThroughTheProxy() throws Exception {
    UserCollectionResponse first = graph.users().get(c -> c.queryParameters.top = 50);
    assertThat(first.getOdataNextLink()).startsWith(rig.graphgate().baseUrl() + "/proxy/v1.0/users?");
    List<User> users = allUsers(50);
    assertThat(users).hasSize(USERS);
    assertThat(new HashSet<>(users.stream().map(User::getId).toList())).hasSize(USERS);
  }

  @Test
  void messagesAreReadWithTheirBodies() {
    User user = graph.users().get(c -> c.queryParameters.top = 1).getValue().getFirst();
    List<Message> messages = graph.users().byUserId(user.getId()).messages().get().getValue();
    assertThat(messages).hasSize(10);
    Message message = graph.users().byUserId(user.getUserPrincipalName()).messages().byMessageId(messages.getFirst().getId()).get();
    assertThat(message.getSubject()).isNotBlank();
    assertThat(message.getBody().getContent()).contains("<html>");
  }

  @Test
  void aBatchRunsThroughTheProxyAndAnswersEachStep() throws Exception {
    List<User> two = graph.users().get(c -> c.queryParameters.top = 2).getValue();
    Batch b = batchOf(two.get(0), two.get(1));
    assertThat(b.responses().getResponsesStatusCode()).containsEntry(b.user(), 200).containsEntry(b.messages(), 200).containsEntry(b.missing(), 404);
    assertThat(b.responses().getResponseById(b.user(), User::createFromDiscriminatorValue).getId()).isEqualTo(two.get(0).getId());
    assertThat(b.responses().getResponseById(b.messages(), MessageCollectionResponse::createFromDiscriminatorValue).getValue()).hasSize(3);
  }

  @Test
  void withThrottlingAndTwentyPercentFaultsEverySdkCallSucceedsAndNoClosedWindowSeesASecond429() throws Exception {
    List<User> two = graph.users().get(c -> c.queryParameters.top = 2).getValue();
    int windowSeconds = 1;
    rig.emulator().throttling("{\"appTenant\": {\"requests\": 5, \"windowSeconds\": " + windowSeconds + "}}");
    rig.emulator().faults("{\"rates\": {\"SERVICE_UNAVAILABLE\": 0.07, \"GATEWAY_TIMEOUT\": 0.05, \"CONNECTION_RESET\": 0.05, \"SLOW_RESPONSE\": 0.03},"
        + " \"slowResponseMillis\": 150, \"retryAfterSeconds\": 0, \"seed\": 7}");
    rig.emulator().resetStats();
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<Integer>> workers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        workers.add(pool.submit(() -> {
          int calls = 0;
          // three pages of users, a mailbox's messages, a batch: six SDK calls
          assertThat(allUsers(100)).hasSize(USERS);
          assertThat(graph.users().byUserId(two.get(1).getId()).messages().get().getValue()).hasSize(10);
          // One item per batch here: every request the emulator counts is then one unit, so "at most one 429 per
          // window" is exact. (Its throttled items are retried by Graphgate: see ProxyRetryTest.)
          BatchRequestContent batch = new BatchRequestContent(graph);
          String step = batch.addBatchRequestStep(graph.users().byUserId(two.get(0).getId()).toGetRequestInformation());
          assertThat(graph.getBatchRequestBuilder().post(batch, null).getResponsesStatusCode()).containsEntry(step, 200);
          calls += 6;
          return calls;
        }));
      }
      for (Future<Integer> w : workers) {
        assertThat(w.get()).isEqualTo(6);
      }
    } finally {
      pool.shutdownNow();
      rig.emulator().faults(null);
      rig.emulator().throttling(null);
    }
    double elapsedSeconds = (System.nanoTime() - started) / 1e9;
    long throttled = rig.emulator().graphAnswers(429);
    long faulted = rig.emulator().graphAnswers(503) + rig.emulator().graphAnswers(504) + rig.emulator().graphAnswers(0);
    System.out.printf("SDK under throttling and faults: %.1f s, %d answers 429, %d faults, %s%n", elapsedSeconds, throttled, faulted,
        rig.emulator().stats().path("graphRequests").path("byStatus"));
    assertThat(throttled).as("the emulator did throttle").isPositive();
    assertThat(faulted).as("the emulator did inject faults").isPositive();
    assertThat(throttled).as("at most one 429 per throttle window").isLessThanOrEqualTo((long) Math.ceil(elapsedSeconds / windowSeconds) + 1);
  }
}
