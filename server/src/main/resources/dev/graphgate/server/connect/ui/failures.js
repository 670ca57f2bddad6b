// What a refused connection means for the admin, and what to do about it. The server's `error.payload.status` (the
// connection status Graphgate classified from Microsoft's answer) picks the wording; Microsoft's own message is shown
// under "Details".

const APP = 'Microsoft Entra admin center > App registrations > your app';

/**
 * The failure screen for `error` ({code, message, payload}). `context`: {certificate, tenantId, clientId}.
 * Answers {title, lead, steps, link?, field?}: `field` is the form field to go back to.
 */
export function failureFor(error, context) {
  const status = error?.payload?.status || statusFromCode(error?.code);
  const consentUrl = error?.payload?.admin_consent_url;
  const consentLink = consentUrl ? { href: consentUrl, text: 'Grant admin consent (opens Microsoft\u2019s page)' } : undefined;
  const tenant = context.tenantId ? ` ${context.tenantId}` : '';
  const app = context.clientId ? ` (client ID ${context.clientId})` : '';
  switch (status) {
    case 'invalid_credentials':
      return context.certificate
        ? { title: 'Microsoft did not accept the certificate', field: 'privateKey',
          lead: `Microsoft found the app${app} in the tenant, but not this certificate among its credentials.`,
          steps: [`Upload the certificate (not the key) in the ${APP} > Certificates & secrets > Certificates.`,
            'Check that the key you chose is the one created with that certificate.'] }
        : { title: 'Microsoft did not accept the client secret', field: 'client_secret',
          lead: `Microsoft found the app${app} in the tenant, but this secret is not one of its secrets.`,
          steps: ['Check that you copied the secret\u2019s Value, not its Secret ID.',
            `Or create a new secret in the ${APP} > Certificates & secrets > New client secret, and paste its Value.`] };
    case 'secret_expired':
      return { title: context.certificate ? 'The certificate has expired' : 'The client secret has expired',
        field: context.certificate ? 'privateKey' : 'client_secret',
        lead: 'Microsoft refuses credentials past their expiry date.',
        steps: context.certificate
          ? [`Create a new certificate, upload it in the ${APP} > Certificates & secrets > Certificates, and choose it here.`]
          : [`Create a new secret in the ${APP} > Certificates & secrets > New client secret, and paste its Value here.`,
            'Note when the new one expires, and renew it before then.'] };
    case 'app_not_in_tenant':
      return { title: 'The app is not in this tenant', field: context.clientId ? 'client_id' : undefined,
        lead: `Microsoft knows no app${app} in tenant${tenant}.`,
        steps: ['Check the Client ID: it is the Application (client) ID on the app registration\u2019s Overview page, not its Object ID.',
          'Check the Tenant ID: it is the tenant where the app is registered.',
          consentUrl
            ? 'If the app is registered in another organization, an administrator of yours must first consent to it, with the link below; then connect again.'
            : 'If the app is registered in another organization, an administrator of yours must first consent to it.'],
        link: consentLink };
    case 'consent_missing':
      return { title: 'An administrator must grant consent',
        lead: 'The app is in your tenant, but no administrator has granted its application permissions yet, so Microsoft gives it no access.',
        steps: [consentUrl
          ? 'Sign in as an administrator and accept the permissions with the link below, then connect again.'
          : `An administrator presses Grant admin consent in the ${APP} > API permissions; then connect again.`],
        link: consentLink };
    case 'tenant_not_found':
      return { title: 'Tenant not found', field: 'tenantId',
        lead: `Microsoft knows no tenant${tenant}.`,
        steps: ['Copy the Tenant ID from the Microsoft Entra admin center > Identity > Overview and try again.'] };
    case 'app_disabled':
      return { title: 'The app is disabled in this tenant',
        lead: 'An administrator of your organization has turned the app off.',
        steps: ['In the Microsoft Entra admin center > Enterprise applications > the app > Properties, set Enabled for users to sign in to Yes.'] };
    case 'invalid_scope':
      return { title: 'Microsoft refused the scope', field: 'oauth_scopes',
        lead: 'The scope names a resource Microsoft does not know in this tenant, or is not written as app-only access needs.',
        steps: ['Use one resource followed by /.default, such as https://graph.microsoft.com/.default.'] };
    case 'blocked_by_policy':
      return { title: 'A Conditional Access policy blocks the app',
        lead: 'A policy of your organization for workload identities refuses this app\u2019s sign-in.',
        steps: ['Ask whoever manages Conditional Access in your organization to allow this app.'] };
    case 'transient':
    case 'unreachable':
      return { title: 'Microsoft could not be reached',
        lead: 'Nothing was connected. This is not a problem with what you entered.',
        steps: ['Try again in a minute.'] };
    case 'access_denied':
      return { title: 'Access was not granted',
        lead: 'The administrator did not accept the permissions on Microsoft\u2019s page, so nothing was connected.',
        steps: ['To connect, grant access again and press Accept, signed in as an administrator of your organization.'] };
    case 'invalid_tenant_id':
      return { title: 'The tenant ID is not valid', field: 'tenantId', lead: error.message, steps: [] };
    default:
      return { title: 'The connection was refused',
        lead: 'Nothing was connected.',
        steps: ['Check the details below, correct the form, and try again.'] };
  }
}

function statusFromCode(code) {
  switch (code) {
    case 'network_error':
      return 'unreachable';
    case 'access_denied':
    case 'consent_declined':
      return 'access_denied';
    case 'invalid_tenant_id':
      return 'invalid_tenant_id';
    default:
      return null;
  }
}
