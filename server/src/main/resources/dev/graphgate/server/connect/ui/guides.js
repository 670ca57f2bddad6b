// The short setup guide shown under each field: where the admin finds the value in Microsoft's admin centers.
// Each guide is a list of steps; a step is plain text (set with textContent, never parsed as HTML).

const APP = 'Microsoft Entra admin center (entra.microsoft.com) > Identity > Applications > App registrations > your app';

export const GUIDES = {
  tenantId: {
    summary: 'Where do I find the tenant ID?',
    steps: [
      'Sign in to the Microsoft Entra admin center (entra.microsoft.com) as an administrator of your organization.',
      'Open Identity > Overview. Copy the Tenant ID: a GUID such as a1b2c3d4-e5f6-47a8-9b0c-d1234567890f.',
      'It is also on your app registration\u2019s Overview page, as Directory (tenant) ID.',
    ],
  },
  clientId: {
    summary: 'Where do I find the client ID?',
    steps: [
      `Open the ${APP}.`,
      'On its Overview page, copy the Application (client) ID (not the Object ID).',
      'No app registration yet? App registrations > New registration; the name is yours to choose, and no redirect URI is needed.',
    ],
  },
  clientSecret: {
    summary: 'How do I create a client secret?',
    steps: [
      `Open the ${APP} > Certificates & secrets > Client secrets > New client secret.`,
      'Choose when it expires, then Add.',
      'Copy the Value column at once: Microsoft shows it only this one time. The Secret ID next to it is not the secret.',
      'Before the secret expires, create a new one and reconnect with it.',
    ],
  },
  certificate: {
    summary: 'How do I create and upload a certificate?',
    steps: [
      'Create a key and a self-signed certificate, for example: openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 365 -subj "/CN=graphgate"',
      `Open the ${APP} > Certificates & secrets > Certificates > Upload certificate, and upload cert.pem (the certificate only, never the key).`,
      'Here, choose key.pem and cert.pem together (or one file holding both), or a .pfx file and its password. The thumbprint is worked out from the certificate.',
      'The private key is sent only to this service, to sign its token requests.',
    ],
  },
  scope: {
    summary: 'Which scope?',
    steps: [
      'For app-only access the scope is one resource followed by /.default.',
      'For Microsoft Graph that is https://graph.microsoft.com/.default: the application permissions the app was granted apply.',
    ],
  },
  permissions: {
    summary: 'Permissions and admin consent',
    steps: [
      `The app needs the Microsoft Graph application permissions that this service asks for (its setup guide lists them): in the ${APP} > API permissions > Add a permission > Microsoft Graph > Application permissions.`,
      'Then an administrator must press Grant admin consent for your organization on that same page. Until then Microsoft issues tokens without the permissions and the connection cannot work.',
    ],
  },
};

/** The guide of a provider field, by its name in the provider definition. */
export function guideFor(name) {
  switch (name) {
    case 'tenantId':
      return GUIDES.tenantId;
    case 'client_id':
    case 'clientId':
      return GUIDES.clientId;
    case 'client_secret':
      return GUIDES.clientSecret;
    case 'oauth_scopes':
      return GUIDES.scope;
    default:
      return null;
  }
}
