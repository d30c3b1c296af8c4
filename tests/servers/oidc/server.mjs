// A strict OAuth 2.0 / OpenID Connect authorization server on 127.0.0.1 for crmtpl's
// end-to-end tests: npm oidc-provider (OpenID-certified) with its built-in dev login and
// consent pages. It really checks the client secret, the redirect URI, one-time
// authorization codes, refresh-token rotation (with reuse detection) and token expiry.
//
// Environment (start.sh sets it):
//   OIDC_PORT            port, default 8317; the issuer is http://127.0.0.1:PORT
//   OIDC_CLIENT_ID       default crmtpl
//   OIDC_CLIENT_SECRET   default crmtpl-secret
//   OIDC_REDIRECT_URIS   comma-separated, default http://127.0.0.1:9999/callback
//   OIDC_ACCESS_TTL      access-token lifetime in seconds, default 3600
//   OIDC_REFRESH_TTL     refresh-token lifetime in seconds, default 14 days
//   OIDC_ROTATE_REFRESH  1 (default): a new refresh token on every use
import Provider from 'oidc-provider';

const env = process.env;
const port = Number(env.OIDC_PORT || 8317);
const issuer = `http://127.0.0.1:${port}`;
const accessTtl = Number(env.OIDC_ACCESS_TTL || 3600);
const refreshTtl = Number(env.OIDC_REFRESH_TTL || 14 * 24 * 3600);
const scopes = ['openid', 'offline_access', 'profile', 'email', 'crm'];

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: env.OIDC_CLIENT_ID || 'crmtpl',
      client_secret: env.OIDC_CLIENT_SECRET || 'crmtpl-secret',
      redirect_uris: (env.OIDC_REDIRECT_URIS || 'http://127.0.0.1:9999/callback').split(','),
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types: ['code'],
      // the registered method; client_secret_post is accepted too (clientAuthMethods)
      token_endpoint_auth_method: 'client_secret_basic',
      scope: scopes.join(' '),
    },
  ],
  clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
  scopes,
  // the dev login page accepts any login name; it becomes the subject
  findAccount: async (ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, email: `${id}@peer.test` }),
  }),
  features: {
    devInteractions: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    clientCredentials: { enabled: true },
  },
  ttl: {
    AccessToken: accessTtl,
    ClientCredentials: accessTtl,
    AuthorizationCode: 60,
    RefreshToken: refreshTtl,
    Grant: refreshTtl,
    Interaction: 3600,
    Session: 86400,
    IdToken: 3600,
  },
  rotateRefreshToken: (env.OIDC_ROTATE_REFRESH || '1') === '1',
  pkce: { required: () => false },
});
provider.proxy = false;
provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer} (access tokens live ${accessTtl} s)`);
});
