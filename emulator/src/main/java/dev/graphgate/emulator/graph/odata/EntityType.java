package dev.graphgate.emulator.graph.odata;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a Graph entity type exposes: the properties that exist (for {@code $select}, {@code $filter}, {@code $orderby})
 * and those returned when no {@code $select} is given. Property names match ignoring case, and are written back in
 * Graph's spelling.
 */
public record EntityType(String name, List<String> properties, List<String> defaults) {

  public EntityType {
    properties = List.copyOf(properties);
    defaults = defaults == null ? null : List.copyOf(defaults);
  }

  /** Graph's spelling of a property name, if the type has it. */
  public Optional<String> canonical(String property) {
    String lower = property.toLowerCase(Locale.ROOT);
    for (String known : properties) {
      if (known.toLowerCase(Locale.ROOT).equals(lower)) {
        return Optional.of(known);
      }
    }
    return Optional.empty();
  }

  public String qualifiedName() {
    return "microsoft.graph." + name;
  }

  public static final EntityType USER = new EntityType("user",
      List.of("id", "accountEnabled", "businessPhones", "city", "companyName", "country", "createdDateTime",
          "department", "displayName", "employeeId", "givenName", "jobTitle", "mail", "mailNickname", "mobilePhone",
          "officeLocation", "preferredLanguage", "surname", "usageLocation", "userPrincipalName", "userType"),
      List.of("businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation",
          "preferredLanguage", "surname", "userPrincipalName", "id"));

  /** What {@code User.ReadBasic.All} alone may read. */
  public static final List<String> USER_BASIC = List.of("id", "displayName", "givenName", "surname", "mail", "userPrincipalName");

  public static final EntityType GROUP = new EntityType("group",
      List.of("id", "classification", "createdDateTime", "deletedDateTime", "description", "displayName", "groupTypes",
          "mail", "mailEnabled", "mailNickname", "securityEnabled", "visibility"),
      null);

  public static final EntityType ORGANIZATION = new EntityType("organization",
      List.of("id", "businessPhones", "city", "country", "countryLetterCode", "createdDateTime", "displayName",
          "postalCode", "preferredLanguage", "state", "street", "tenantType", "technicalNotificationMails",
          "verifiedDomains", "assignedPlans", "onPremisesSyncEnabled"),
      null);

  public static final EntityType APPLICATION = new EntityType("application",
      List.of("id", "appId", "displayName", "createdDateTime", "signInAudience", "publisherDomain",
          "requiredResourceAccess", "passwordCredentials", "keyCredentials", "web", "deletedDateTime"),
      null);

  public static final EntityType SERVICE_PRINCIPAL = new EntityType("servicePrincipal",
      List.of("id", "accountEnabled", "appDisplayName", "appId", "appOwnerOrganizationId", "appRoles",
          "displayName", "servicePrincipalNames", "servicePrincipalType", "signInAudience", "tags",
          "appRoleAssignmentRequired", "deletedDateTime"),
      null);

  public static final EntityType MAIL_FOLDER = new EntityType("mailFolder",
      List.of("id", "displayName", "parentFolderId", "childFolderCount", "unreadItemCount", "totalItemCount",
          "sizeInBytes", "isHidden"),
      null);

  public static final EntityType MESSAGE = new EntityType("message",
      List.of("id", "createdDateTime", "lastModifiedDateTime", "changeKey", "categories", "receivedDateTime",
          "sentDateTime", "hasAttachments", "internetMessageId", "subject", "bodyPreview", "importance",
          "parentFolderId", "conversationId", "isDeliveryReceiptRequested", "isReadReceiptRequested", "isRead",
          "isDraft", "webLink", "inferenceClassification", "body", "sender", "from", "toRecipients", "ccRecipients",
          "bccRecipients", "replyTo", "flag"),
      null);

  /** What {@code Mail.ReadBasic.All} alone may not read. */
  public static final List<String> MESSAGE_BODY = List.of("body", "bodyPreview", "uniqueBody");

  public static final EntityType EVENT = new EntityType("event",
      List.of("id", "createdDateTime", "lastModifiedDateTime", "changeKey", "categories", "transactionId",
          "originalStartTimeZone", "originalEndTimeZone", "iCalUId", "reminderMinutesBeforeStart", "isReminderOn",
          "hasAttachments", "subject", "bodyPreview", "importance", "sensitivity", "isAllDay", "isCancelled",
          "isOrganizer", "responseRequested", "seriesMasterId", "showAs", "type", "webLink", "onlineMeetingUrl",
          "isOnlineMeeting", "onlineMeetingProvider", "allowNewTimeProposals", "isDraft", "hideAttendees",
          "responseStatus", "body", "start", "end", "location", "locations", "recurrence", "attendees", "organizer",
          "onlineMeeting"),
      null);

  public static final EntityType CALENDAR = new EntityType("calendar",
      List.of("id", "name", "color", "hexColor", "isDefaultCalendar", "changeKey", "canShare", "canViewPrivateItems",
          "canEdit", "allowedOnlineMeetingProviders", "defaultOnlineMeetingProvider", "isTallyingResponses",
          "isRemovable", "owner"),
      null);

  public static final EntityType DRIVE = new EntityType("drive",
      List.of("id", "createdDateTime", "description", "lastModifiedDateTime", "name", "webUrl", "driveType",
          "createdBy", "owner", "quota"),
      null);

  public static final EntityType DRIVE_ITEM = new EntityType("driveItem",
      List.of("id", "createdDateTime", "eTag", "lastModifiedDateTime", "name", "webUrl", "cTag", "size", "createdBy",
          "lastModifiedBy", "parentReference", "fileSystemInfo", "folder", "file", "root", "deleted",
          "@microsoft.graph.downloadUrl"),
      null);

  public static final EntityType SITE = new EntityType("site",
      List.of("id", "createdDateTime", "description", "displayName", "lastModifiedDateTime", "name", "webUrl",
          "root", "siteCollection"),
      null);

  /** Renders an entity's properties for {@code select} (null: the type's defaults), keeping annotations. */
  public Map<String, Object> render(Map<String, Object> props, List<String> select, boolean alwaysId) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : props.entrySet()) {
      if (entry.getKey().startsWith("@")) {
        out.put(entry.getKey(), entry.getValue());
      }
    }
    List<String> wanted = select != null ? select : defaults;
    if (wanted == null) {
      for (Map.Entry<String, Object> entry : props.entrySet()) {
        if (!entry.getKey().startsWith("@")) {
          out.put(entry.getKey(), entry.getValue());
        }
      }
      return out;
    }
    if (alwaysId && props.containsKey("id")) {
      out.put("id", props.get("id"));
    }
    for (String property : wanted) {
      if (!property.startsWith("@")) {
        out.put(property, props.get(property));
      }
    }
    return out;
  }
}
