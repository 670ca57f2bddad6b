package dev.graphgate.emulator.graph.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graphgate.emulator.admin.AdminException;
import dev.graphgate.emulator.admin.JsonBodies;
import dev.graphgate.emulator.graph.faults.FaultPolicy;
import dev.graphgate.emulator.graph.faults.FaultSettings;
import dev.graphgate.emulator.graph.generate.GenerationSpec;
import dev.graphgate.emulator.graph.throttle.ThrottleSettings;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The JSON bodies of the Graph admin endpoints and the fixture's {@code graph} section, and their views. */
public final class GraphAdminBodies {

  private GraphAdminBodies() {}

  public record GenerateBody(
      String tenantId, Integer users, Integer groups, Integer membersPerGroup, Integer messagesPerMailbox,
      Integer eventsPerMailbox, Integer driveItemsPerDrive, Integer sites, Long maxFileBytes, Long seed, String anchorDate) {

    public GenerationSpec toSpec() {
      Optional<LocalDate> anchor;
      try {
        anchor = Optional.ofNullable(anchorDate).map(LocalDate::parse);
      } catch (DateTimeParseException e) {
        throw invalid("anchorDate must be a date such as 2025-01-31, was '" + anchorDate + "'");
      }
      try {
        return new GenerationSpec(or(users, 0), or(groups, 0), or(membersPerGroup, 0), or(messagesPerMailbox, 0),
            or(eventsPerMailbox, 0), or(driveItemsPerDrive, 0), or(sites, 1),
            maxFileBytes == null ? GenerationSpec.DEFAULT_MAX_FILE_BYTES : maxFileBytes, Optional.ofNullable(seed), anchor);
      } catch (IllegalArgumentException e) {
        throw invalid(e.getMessage());
      }
    }
  }

  public record BudgetBody(Integer requests, Double windowSeconds) {
    ThrottleSettings.Budget toBudget(String name) {
      if (requests == null || windowSeconds == null) {
        throw invalid(name + " needs 'requests' and 'windowSeconds'");
      }
      try {
        return new ThrottleSettings.Budget(requests, Duration.ofMillis(Math.round(windowSeconds * 1000)));
      } catch (IllegalArgumentException e) {
        throw invalid(name + ": " + e.getMessage());
      }
    }
  }

  public record MailboxBody(Integer requests, Double windowSeconds, Integer concurrent) {
    ThrottleSettings.MailboxLimits toLimits() {
      int count = requests == null ? 10_000 : requests;
      double window = windowSeconds == null ? 600 : windowSeconds;
      try {
        return new ThrottleSettings.MailboxLimits(count, Duration.ofMillis(Math.round(window * 1000)), concurrent == null ? 4 : concurrent);
      } catch (IllegalArgumentException e) {
        throw invalid("mailbox: " + e.getMessage());
      }
    }
  }

  public record ThrottlingBody(String tenantId, String preset, BudgetBody appTenant, MailboxBody mailbox) {
    public ThrottleSettings toSettings() {
      if (preset != null) {
        if (!preset.equalsIgnoreCase("microsoft") && !preset.equalsIgnoreCase("none")) {
          throw invalid("preset must be 'microsoft' or 'none', was '" + preset + "'");
        }
        if (appTenant != null || mailbox != null) {
          throw invalid("give either a preset or appTenant/mailbox, not both");
        }
        return preset.equalsIgnoreCase("microsoft") ? ThrottleSettings.MICROSOFT : ThrottleSettings.NONE;
      }
      return new ThrottleSettings(
          Optional.ofNullable(appTenant).map(b -> b.toBudget("appTenant")), Optional.ofNullable(mailbox).map(MailboxBody::toLimits));
    }
  }

  public record FaultsBody(Map<String, Double> rates, Long slowResponseMillis, Integer retryAfterSeconds, Long seed, String tenantId) {
    public FaultSettings toSettings() {
      Map<FaultPolicy, Double> parsed = new EnumMap<>(FaultPolicy.class);
      if (rates != null) {
        for (Map.Entry<String, Double> entry : rates.entrySet()) {
          FaultPolicy policy;
          try {
            policy = FaultPolicy.valueOf(entry.getKey().toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            throw invalid("unknown fault policy '" + entry.getKey() + "'; known: " + List.of(FaultPolicy.values()));
          }
          if (entry.getValue() == null) {
            throw invalid("the rate of " + policy + " must be a number");
          }
          parsed.put(policy, entry.getValue());
        }
      }
      try {
        return new FaultSettings(parsed,
            slowResponseMillis == null ? FaultSettings.DEFAULT_SLOW_RESPONSE : Duration.ofMillis(slowResponseMillis),
            retryAfterSeconds == null ? 1 : retryAfterSeconds, Optional.ofNullable(seed), Optional.ofNullable(tenantId));
      } catch (IllegalArgumentException e) {
        throw invalid(e.getMessage());
      }
    }
  }

  /** The fixture's {@code graph} section: generation per tenant, throttling and faults at start. */
  public record GraphFixtureBody(
      List<GenerateBody> generate, ThrottlingBody throttling, List<ThrottlingBody> tenantThrottling, FaultsBody faults,
      dev.graphgate.emulator.graph.notify.NotificationAdminRoutes.SettingsBody notifications) {}

  /** Reads a JSON section of the fixture file as one of these bodies. */
  public static <T> T convert(JsonNode node, Class<T> type) {
    return JsonBodies.parse(node.toString(), type);
  }

  /** How a request budget is shown; a record, so its fields always come out in this order. */
  record BudgetView(int requests, double windowSeconds) {}

  record MailboxView(int requests, double windowSeconds, int concurrent) {}

  public static Map<String, Object> view(ThrottleSettings settings) {
    Map<String, Object> view = new LinkedHashMap<>();
    settings.appTenant().ifPresent(b -> view.put("appTenant", new BudgetView(b.requests(), b.window().toMillis() / 1000.0)));
    settings.mailbox().ifPresent(m -> view.put("mailbox", new MailboxView(m.requests(), m.window().toMillis() / 1000.0, m.concurrent())));
    return view;
  }

  public static Map<String, Object> view(FaultSettings settings) {
    Map<String, Object> view = new LinkedHashMap<>();
    Map<String, Double> rates = new LinkedHashMap<>();
    settings.rates().forEach((policy, rate) -> rates.put(policy.name(), rate));
    view.put("rates", rates);
    view.put("slowResponseMillis", settings.slowResponse().toMillis());
    view.put("retryAfterSeconds", settings.retryAfterSeconds());
    settings.seed().ifPresent(seed -> view.put("seed", seed));
    settings.tenantId().ifPresent(id -> view.put("tenantId", id));
    return view;
  }

  static AdminException invalid(String message) {
    return new AdminException(400, "invalid_body", message);
  }

  private static int or(Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}
