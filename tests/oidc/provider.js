// A real OpenID provider for the tracker's single sign-on tests: node-oidc-provider (certified)
// with one confidential client, PKCE required, and test accounts whose ID tokens carry the
// claims Microsoft Entra ID sends (tid, oid, roles, name, preferred_username, email).
//
// Started by the pytest fixture `oidc_provider` (tests/conftest.py):
//   PORT=… CLIENT_ID=… CLIENT_SECRET=… REDIRECT_URIS=uri1,uri2 node provider.js
// It prints "ready <issuer>" once it listens. The sign-in page takes any password; the login
// name chooses the account in accounts.json.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const { tenants, accounts } = JSON.parse(readFileSync(new URL('./accounts.json', import.meta.url), 'utf8'));
const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;

// A fresh signing key per run: the tracker must fetch it from the provider's JWKS.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: `test-${Date.now()}`, use: 'sig', alg: 'RS256' };

function claimsOf(login) {
  const { tenant, ...claims } = accounts[login];
  // An account without a tenant gets a token without `tid` (the JSON leaves undefined out).
  return { sub: `${tenant}:${claims.oid}`, tid: tenants[tenant], ...claims };
}

const configuration = {
  clients: [{
    client_id: process.env.CLIENT_ID,
    client_secret: process.env.CLIENT_SECRET,
    redirect_uris: process.env.REDIRECT_URIS.split(','),
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [signingKey] },
  // Entra ID puts these claims in the ID token; so does this provider (not only in userinfo).
  claims: {
    openid: ['sub', 'tid', 'oid', 'roles'],
    profile: ['name', 'preferred_username'],
    email: ['email', 'email_verified'],
  },
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['tracker-test-cookie-key'] },
  async findAccount(ctx, login) {
    if (!Object.hasOwn(accounts, login)) return undefined;
    return { accountId: login, claims: async () => claimsOf(login) };
  },
};

const provider = new Provider(issuer, configuration);
provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
