package dev.graphgate.emulator.graph.notify;

import dev.graphgate.emulator.directory.DirectoryListener;
import dev.graphgate.emulator.directory.Tenant;
import dev.graphgate.emulator.graph.auth.Caller;
import dev.graphgate.emulator.graph.data.ChangeScope;
import dev.graphgate.emulator.graph.data.TenantChangeListener;
import dev.graphgate.emulator.graph.data.TenantData;
import dev.graphgate.emulator.graph.http.GraphException;
import dev.graphgate.emulator.graph.store.Change;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Graph's change notifications: the subscription rules (fields, validation handshake, lifetimes, permissions, renewal,
 * reauthorization), the match of every change in a tenant's data against that tenant's subscriptions, and lifecycle
 * events on demand. Knows no HTTP routes: {@link SubscriptionResources} serves {@code /subscriptions} and
 * {@code NotificationAdminRoutes} the admin API.
 */
public final class ChangeNotifications implements TenantChangeListener, DirectoryListener, AutoCloseable {

  /** Expirations closer than this are raised to it (learn's subscription page, 2024 on). */
  static final Duration MIN_LIFETIME = Duration.ofMinutes(45);
  private static final DateTimeFormatter GRAPH_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final Set<String> FIELDS = Set.of(
      "@odata.type", "changeType", "notificationUrl", "lifecycleNotificationUrl", "resource", "expirationDateTime", "clientState",
      "latestSupportedTlsVersion", "includeResourceData", "encryptionCertificate", "encryptionCertificateId", "notificationQueryOptions",
      "notificationUrlAppId", "notificationContentType");
  private static final Set<String> TLS_VERSIONS = Set.of("v1_0", "v1_1", "v1_2", "v1_3");
  public static final Set<String> LIFECYCLE_EVENTS = Set.of("reauthorizationRequired", "subscriptionRemoved", "missed");

  private final InstantSource clock;
  private final Subscriptions subscriptions;
  private final NotificationDelivery delivery;
  private final ValidationHandshake handshake;

  public ChangeNotifications(InstantSource clock) {
    this.clock = clock;
    this.subscriptions = new Subscriptions(clock);
    this.delivery = new NotificationDelivery(clock);
    this.handshake = new ValidationHandshake(delivery, clock);
  }

  public Subscriptions subscriptions() {
    return subscriptions;
  }

  public NotificationDelivery delivery() {
    return delivery;
  }

  // ---- the subscription API

  public Subscription create(Caller caller, TenantData data, Map<String, Object> body) {
    checkFields(body);
    String resource = requiredString(body, "resource");
    String notificationUrl = url(requiredString(body, "notificationUrl"), "notificationUrl");
    String lifecycleUrl = optionalString(body, "lifecycleNotificationUrl").map(u -> url(u, "lifecycleNotificationUrl")).orElse(null);
    List<String> changeTypes = changeTypes(requiredString(body, "changeType"));
    String clientState = optionalString(body, "clientState").orElse(null);
    if (clientState != null && clientState.length() > 128) {
      throw invalid("clientState must be at most 128 characters.");
    }
    String tls = optionalString(body, "latestSupportedTlsVersion").orElse("v1_2");
    if (!TLS_VERSIONS.contains(tls)) {
      throw invalid("Invalid 'latestSupportedTlsVersion' value '" + tls + "'. Supported values: v1_0, v1_1, v1_2, v1_3.");
    }
    if (Boolean.TRUE.equals(body.get("includeResourceData"))) {
      throw invalid("Subscriptions with resource data (includeResourceData) need an encryption certificate, which the emulator does not support.");
    }
    SubscribedResource target = ResourceParser.parse(data, resource);
    for (String type : changeTypes) {
      if (!target.allowedChangeTypes().contains(type)) {
        throw invalid("The changeType '" + type + "' is not supported for resource '" + resource + "'. Supported: "
            + String.join(", ", target.allowedChangeTypes().stream().sorted().toList()) + ".");
      }
    }
    target.permission().check(caller);
    Instant expiration = expiration(requiredString(body, "expirationDateTime"), target);
    String id = UUID.randomUUID().toString();
    handshake.validate(notificationUrl, id);
    if (lifecycleUrl != null) {
      handshake.validate(lifecycleUrl, id);
    }
    Subscription subscription = new Subscription(id, data.tenant().id(), caller.appId(), caller.servicePrincipalId(), resource, target,
        changeTypes, notificationUrl, lifecycleUrl, clientState, expiration, tls, clock.instant(), false);
    subscriptions.put(subscription);
    return subscription;
  }

  /** {@code PATCH}: a new expiration (renewal) and, validated again, a new notification URL. */
  public Subscription update(Caller caller, TenantData data, String id, Map<String, Object> body) {
    Subscription current = visible(caller, data, id);
    for (String name : body.keySet()) {
      if (!name.equals("expirationDateTime") && !name.equals("notificationUrl") && !name.equals("@odata.type")) {
        throw invalid("Only expirationDateTime and notificationUrl can be updated; '" + name + "' cannot.");
      }
    }
    current.target().permission().check(caller);
    Instant expiration = body.containsKey("expirationDateTime")
        ? expiration(requiredString(body, "expirationDateTime"), current.target()) : current.expiration();
    String url = current.notificationUrl();
    if (body.containsKey("notificationUrl")) {
      url = url(requiredString(body, "notificationUrl"), "notificationUrl");
      if (!url.equals(current.notificationUrl())) {
        handshake.validate(url, id);
      }
    }
    String newUrl = url;
    return subscriptions.update(current.tenantId(), current.id(), s -> s.renewed(expiration, newUrl))
        .orElseThrow(() -> notFound(id));
  }

  public void delete(Caller caller, TenantData data, String id) {
    Subscription current = visible(caller, data, id);
    subscriptions.remove(current.tenantId(), current.id());
  }

  /** {@code POST /subscriptions/{id}/reauthorize}: answers an open {@code reauthorizationRequired} challenge. */
  public void reauthorize(Caller caller, TenantData data, String id) {
    Subscription current = visible(caller, data, id);
    current.target().permission().check(caller);
    subscriptions.update(current.tenantId(), current.id(), s -> s.challenged(false));
  }

  public Subscription get(Caller caller, TenantData data, String id) {
    return visible(caller, data, id);
  }

  /** The caller's subscriptions: an app sees those it created in this tenant; the admin API sees all of the tenant's. */
  public List<Subscription> list(Caller caller, TenantData data) {
    return subscriptions.active(data.tenant().id()).stream()
        .filter(s -> caller.admin() || s.applicationId().equals(caller.appId()))
        .toList();
  }

  private Subscription visible(Caller caller, TenantData data, String id) {
    return subscriptions.find(data.tenant().id(), id)
        .filter(s -> caller.admin() || s.applicationId().equals(caller.appId()))
        .orElseThrow(() -> notFound(id));
  }

  // ---- lifecycle events, on the admin API's demand

  /**
   * Sends {@code event} to the subscription's lifecycle URL. {@code reauthorizationRequired} opens a challenge (answered
   * by a renewal or {@code /reauthorize}); {@code subscriptionRemoved} removes the subscription, as Graph has by then;
   * {@code missed} changes nothing (the receiver is to catch up with a delta round).
   *
   * @throws IllegalArgumentException for an unknown event, or one Graph does not send for this resource
   * @throws IllegalStateException when the subscription has no lifecycle URL
   */
  public SentNotification lifecycle(String tenantId, String id, String event) {
    if (!LIFECYCLE_EVENTS.contains(event)) {
      throw new IllegalArgumentException("lifecycleEvent must be one of reauthorizationRequired, subscriptionRemoved, missed; was '" + event + "'");
    }
    Subscription subscription = subscriptions.find(tenantId, id).orElseThrow(() -> new java.util.NoSuchElementException("no active subscription " + id));
    if (!event.equals("reauthorizationRequired") && !subscription.target().outlook()) {
      throw new IllegalArgumentException("Graph sends " + event + " only for Outlook resources (messages, events), not for " + subscription.resource());
    }
    if (subscription.lifecycleNotificationUrl() == null) {
      throw new IllegalStateException("subscription " + id + " was created without a lifecycleNotificationUrl");
    }
    if (event.equals("reauthorizationRequired")) {
      subscriptions.update(tenantId, subscription.id(), s -> s.challenged(true));
    } else if (event.equals("subscriptionRemoved")) {
      subscriptions.remove(tenantId, subscription.id());
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("subscriptionId", subscription.id());
    payload.put("subscriptionExpirationDateTime", format(subscription.expiration()));
    payload.put("tenantId", subscription.tenantId());
    payload.put("clientState", subscription.clientState());
    payload.put("lifecycleEvent", event);
    return delivery.submit(tenantId, subscription.id(), SentNotification.Kind.LIFECYCLE, subscription.lifecycleNotificationUrl(), payload);
  }

  // ---- changes

  @Override
  public void changed(TenantData data, ChangeScope scope, Change change) {
    if (scope instanceof ChangeScope.Other) {
      return;
    }
    for (Subscription subscription : subscriptions.active(data.tenant().id())) {
      Optional<SubscribedResource.Notified> notified = subscription.target().notified(data, scope, change);
      if (notified.isEmpty() || !subscription.changeTypes().contains(notified.get().changeType())) {
        continue;
      }
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("subscriptionId", subscription.id());
      payload.put("subscriptionExpirationDateTime", format(subscription.expiration()));
      payload.put("changeType", notified.get().changeType());
      payload.put("resource", notified.get().resource());
      payload.put("resourceData", notified.get().resourceData());
      payload.put("clientState", subscription.clientState());
      payload.put("tenantId", subscription.tenantId());
      delivery.submit(subscription.tenantId(), subscription.id(), SentNotification.Kind.CHANGE, subscription.notificationUrl(), payload);
    }
  }

  @Override
  public void tenantDeleted(Tenant tenant) {
    subscriptions.removeTenant(tenant.id());
  }

  // ---- views

  public static String format(Instant instant) {
    return GRAPH_TIME.format(instant);
  }

  /** The subscription as Graph returns it. */
  public static Map<String, Object> view(Subscription s) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", s.id());
    view.put("resource", s.resource());
    view.put("applicationId", s.applicationId());
    view.put("changeType", s.changeType());
    view.put("clientState", s.clientState());
    view.put("notificationUrl", s.notificationUrl());
    view.put("notificationQueryOptions", null);
    view.put("lifecycleNotificationUrl", s.lifecycleNotificationUrl());
    view.put("expirationDateTime", format(s.expiration()));
    view.put("creatorId", s.creatorId());
    view.put("includeResourceData", false);
    view.put("latestSupportedTlsVersion", s.latestSupportedTlsVersion());
    view.put("encryptionCertificate", null);
    view.put("encryptionCertificateId", null);
    view.put("notificationUrlAppId", null);
    view.put("notificationContentType", "application/json");
    return view;
  }

  // ---- field rules

  private Instant expiration(String value, SubscribedResource target) {
    Instant requested;
    try {
      requested = java.time.OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      try {
        requested = java.time.LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException again) {
        throw GraphException.badRequest("Cannot convert the literal '" + value + "' to the expected type 'Edm.DateTimeOffset'.");
      }
    }
    // Graph keeps 7 fractional digits: what is stored is what GET shows.
    requested = Instant.ofEpochSecond(requested.getEpochSecond(), requested.getNano() - requested.getNano() % 100);
    Instant now = clock.instant();
    Duration max = target.maxLifetime(delivery.settings());
    if (requested.isAfter(now.plus(max))) {
      throw new GraphException(400, "ExtensionError", "Subscription expiration can only be " + max.toMinutes() + " minutes in the future.");
    }
    Instant earliest = now.plus(MIN_LIFETIME);
    return requested.isBefore(earliest) ? earliest : requested;
  }

  private static void checkFields(Map<String, Object> body) {
    for (String name : body.keySet()) {
      if (!FIELDS.contains(name)) {
        throw GraphException.badRequest("The property '" + name + "' does not exist on type 'microsoft.graph.subscription'. Make sure to only use property names that are defined by the type.");
      }
    }
  }

  private static List<String> changeTypes(String value) {
    Set<String> types = new LinkedHashSet<>();
    for (String part : value.split(",", -1)) {
      String type = part.strip().toLowerCase(Locale.ROOT);
      if (!SubscribedResource.ALL_CHANGE_TYPES.contains(type)) {
        throw invalid("Invalid 'changeType' attribute: '" + part.strip() + "'. Use a comma-separated list of created, updated and deleted.");
      }
      types.add(type);
    }
    return new ArrayList<>(types);
  }

  private static String url(String value, String field) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (java.net.URISyntaxException e) {
      throw invalid("The " + field + " '" + value + "' is not a valid absolute URL.");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http")) || uri.getRawFragment() != null) {
      throw invalid("The " + field + " '" + value + "' is not a valid absolute URL; it must be https (the emulator also accepts http).");
    }
    return value;
  }

  private static String requiredString(Map<String, Object> body, String name) {
    Object value = body.get(name);
    if (value == null || (value instanceof String s && s.isBlank())) {
      throw invalid(name + " is a required property for subscription creation.");
    }
    if (!(value instanceof String s)) {
      throw GraphException.badRequest("The property '" + name + "' must be a string.");
    }
    return s;
  }

  private static Optional<String> optionalString(Map<String, Object> body, String name) {
    Object value = body.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String s)) {
      throw GraphException.badRequest("The property '" + name + "' must be a string.");
    }
    return Optional.of(s);
  }

  private static GraphException invalid(String message) {
    return new GraphException(400, "InvalidRequest", message);
  }

  private static GraphException notFound(String id) {
    return new GraphException(404, "ResourceNotFound", "The subscription '" + id + "' does not exist or has expired.");
  }

  @Override
  public void close() {
    delivery.close();
  }
}
