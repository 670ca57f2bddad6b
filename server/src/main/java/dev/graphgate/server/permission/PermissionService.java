package dev.graphgate.server.permission;

import dev.graphgate.server.GraphgateException.NotFound;
import dev.graphgate.server.GraphgateException.RefreshBackoff;
import dev.graphgate.server.GraphgateException.RefreshExhausted;
import dev.graphgate.server.GraphgateException.TokenEndpointUnavailable;
import dev.graphgate.server.GraphgateException.TokenRequestFailed;
import dev.graphgate.server.action.ActionCatalog;
import dev.graphgate.server.action.PreBuiltAction;
import dev.graphgate.server.auth.TokenAnswer;
import dev.graphgate.server.auth.TokenService;
import dev.graphgate.server.connect.AdminConsentLinks;
import dev.graphgate.server.connection.AccessToken;
import dev.graphgate.server.connection.Connection;
import dev.graphgate.server.graph.PermissionCheck;
import dev.graphgate.server.graph.PermissionTable;
import dev.graphgate.server.graph.RequiredPermission;
import dev.graphgate.server.sync.DriveItemsSync;
import dev.graphgate.server.sync.GraphSync;
import dev.graphgate.server.sync.MailboxSync;
import dev.graphgate.server.sync.SyncService;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Permission diagnosis for one connection: what its token grants (the {@code roles} claim), what the integration's
 * enabled syncs and the pre-built actions need (the same {@link RequiredPermission}s their runs check), what is
 * missing and the admin consent link to fix it; and, for the Explorer, whether one Graph request would be allowed
 * before it is sent ({@link PermissionTable}). The token comes from memory, as {@code GET /connections/{id}} serves
 * it, and its failures are that route's errors.
 */
public final class PermissionService {
  private final TokenService tokens;
  private final SyncService syncs;
  private final ActionCatalog actions;
  private final AdminConsentLinks consentLinks;
  private final PermissionTable table;

  public PermissionService(TokenService tokens, SyncService syncs, ActionCatalog actions, AdminConsentLinks consentLinks, PermissionTable table) {
    this.tokens = tokens;
    this.syncs = syncs;
    this.actions = actions;
    this.consentLinks = consentLinks;
    this.table = table;
  }

  /** One need of a piece of work: {@code purpose} ("read", "list the mailboxes"), any one of {@code oneOf}. */
  public record Need(String purpose, List<String> oneOf, boolean satisfied) {
    public Need {
      oneOf = List.copyOf(oneOf);
    }
  }

  /** A sync or action ({@code kind}) and what it needs; {@code satisfied} when every need is. */
  public record Work(String kind, String name, List<Need> needs) {
    public Work {
      needs = List.copyOf(needs);
    }

    public boolean satisfied() {
      return needs.stream().allMatch(Need::satisfied);
    }
  }

  /**
   * What {@code GET /connections/{id}/permissions} answers.
   *
   * @param roles the token's roles claim ({@code rolesReadable} false when the token is not a JWT and they are unknown)
   * @param missing for each need no role satisfies, its least privileged permission (the one to grant), without repeats
   * @param adminConsentUrl the admin consent link, when something is missing
   */
  public record Report(Connection connection, List<String> roles, boolean rolesReadable, List<Work> syncs, List<Work> actions,
      List<String> missing, Optional<String> adminConsentUrl) {
    public Report {
      roles = List.copyOf(roles);
      syncs = List.copyOf(syncs);
      actions = List.copyOf(actions);
      missing = List.copyOf(missing);
    }
  }

  /** The Explorer's question: would {@code method} on {@code path} be allowed, and the consent link when not. */
  public record RequestCheck(PermissionCheck check, Optional<String> adminConsentUrl) {}

  public Report report(String integrationKey, String connectionId) {
    Tokened t = token(integrationKey, connectionId);
    Connection c = t.connection();
    AccessToken token = t.token();
    List<String> roles = token.roles().orElse(List.of());
    List<Work> syncWork = new ArrayList<>();
    for (SyncService.Offered offered : syncs.offered(integrationKey)) {
      if (offered.enabled()) {
        syncWork.add(new Work("sync", offered.sync().name(), needs(offered.sync(), c, roles)));
      }
    }
    List<Work> actionWork = new ArrayList<>();
    for (String name : actions.names()) {
      PreBuiltAction a = actions.find(name).orElseThrow();
      actionWork.add(new Work("action", name, List.of(need("write", a.permission().satisfiedBy(), roles))));
    }
    Set<String> missing = new LinkedHashSet<>();
    for (Work w : concat(syncWork, actionWork)) {
      w.needs().stream().filter(n -> !n.satisfied()).forEach(n -> missing.add(n.oneOf().get(0)));
    }
    return new Report(c, roles, token.roles().isPresent(), syncWork, actionWork, List.copyOf(missing),
        missing.isEmpty() ? Optional.empty() : Optional.of(consentLinks.forConnection(c)));
  }

  /**
   * Whether the connection's token allows {@code method} on {@code path} ({@code /v1.0/users/{id}/messages?$top=5}),
   * by the shipped table, before anything is sent; the admin consent link when it carries none of the permissions.
   */
  public RequestCheck check(String integrationKey, String connectionId, String method, String path) {
    Tokened t = token(integrationKey, connectionId);
    PermissionCheck check = PermissionCheck.of(method, table.lookup(method, path), t.token().roles().orElse(List.of()));
    return new RequestCheck(check, check.verdict() == PermissionCheck.Verdict.MISSING ? Optional.of(consentLinks.forConnection(t.connection()))
        : Optional.empty());
  }

  private List<Need> needs(GraphSync sync, Connection c, List<String> roles) {
    List<Need> needs = new ArrayList<>();
    needs.add(need("read", sync.satisfiedBy(), roles));
    if (sync instanceof MailboxSync m && !m.ownersNamedBy(c)) {
      needs.add(need("list the " + m.ownersNoun(), m.listingSatisfiedBy(), roles));
    }
    if (sync instanceof DriveItemsSync) {
      // Optional: without it, the sites' libraries are left out rather than the run failing.
      Need sites = need("list the sites' document libraries (optional)", DriveItemsSync.SITE_LISTING, roles);
      if (sites.satisfied()) {
        needs.add(sites);
      }
    }
    return needs;
  }

  private static Need need(String purpose, List<String> oneOf, List<String> roles) {
    return new Need(purpose, oneOf, oneOf.stream().anyMatch(roles::contains));
  }

  private static List<Work> concat(List<Work> a, List<Work> b) {
    List<Work> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** The connection's token, from memory; when none can be had, the errors {@code GET /connections/{id}} answers. */
  private record Tokened(Connection connection, AccessToken token) {}

  private Tokened token(String integrationKey, String connectionId) {
    TokenAnswer answer = tokens.forConnection(integrationKey, connectionId, false);
    return switch (answer) {
      case TokenAnswer.Valid v -> new Tokened(v.connection(), v.token());
      case TokenAnswer.Refused r -> throw new TokenRequestFailed(consentLinks.withLinkIfNeeded(r.message(), r.connection()), r.status().wireName());
      case TokenAnswer.BackingOff b -> throw new RefreshBackoff(b.retryAfter(), consentLinks.withLinkIfNeeded(b.lastError(), b.connection()));
      case TokenAnswer.Exhausted x -> throw new RefreshExhausted(consentLinks.withLinkIfNeeded(x.lastError(), x.connection()));
      case TokenAnswer.Unavailable u -> throw new TokenEndpointUnavailable(u.message(), u.retryAfter());
      case TokenAnswer.Gone g -> throw new NotFound("Failed to find connection");
    };
  }
}
