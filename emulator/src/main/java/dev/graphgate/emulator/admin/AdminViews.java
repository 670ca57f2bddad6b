package dev.graphgate.emulator.admin;

import dev.graphgate.emulator.directory.AppCertificate;
import dev.graphgate.emulator.directory.AppRegistration;
import dev.graphgate.emulator.directory.AppSecret;
import dev.graphgate.emulator.directory.CreatedApp;
import dev.graphgate.emulator.directory.ServicePrincipal;
import dev.graphgate.emulator.directory.Tenant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON the admin API answers. Secret values appear only in the answer to their creation. */
final class AdminViews {

  private AdminViews() {}

  static Map<String, Object> tenant(Tenant tenant) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", tenant.id());
    view.put("displayName", tenant.displayName());
    view.put("domains", tenant.domains());
    view.put("createdAt", tenant.createdAt().toString());
    return view;
  }

  static Map<String, Object> app(AppRegistration app) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("appId", app.appId());
    view.put("displayName", app.displayName());
    view.put("multiTenant", app.multiTenant());
    app.homeTenantId().ifPresent(id -> view.put("tenantId", id));
    view.put("redirectUris", app.redirectUris());
    view.put("requiredRoles", app.requiredRoles());
    view.put("secrets", app.secrets().stream().map(s -> secret(s, false)).toList());
    view.put("certificates", app.certificates().stream().map(AdminViews::certificate).toList());
    view.put("disabled", app.disabled());
    view.put("createdAt", app.createdAt().toString());
    return view;
  }

  static Map<String, Object> createdApp(CreatedApp created) {
    Map<String, Object> view = app(created.app());
    view.put("secrets", created.secrets().stream().map(s -> secret(s, true)).toList());
    return view;
  }

  static Map<String, Object> secret(AppSecret secret, boolean withValue) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("keyId", secret.keyId());
    if (withValue) {
      view.put("value", secret.value());
    }
    view.put("hint", secret.hint());
    view.put("expiresAt", secret.expiresAt().toString());
    return view;
  }

  static Map<String, Object> certificate(AppCertificate certificate) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("keyId", certificate.keyId());
    view.put("x5t", certificate.x5t());
    view.put("x5t#S256", certificate.x5tS256());
    view.put("notBefore", certificate.notBefore().toString());
    view.put("notAfter", certificate.notAfter().toString());
    return view;
  }

  static Map<String, Object> grant(ServicePrincipal sp) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("tenantId", sp.tenantId());
    view.put("appId", sp.appId());
    view.put("servicePrincipalId", sp.objectId());
    view.put("roles", sp.grantedRoles());
    view.put("createdAt", sp.createdAt().toString());
    return view;
  }
}
