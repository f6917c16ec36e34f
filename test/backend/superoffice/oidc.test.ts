import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { createFetch } from '../../../backend/http/outbound.js';
import { SO_CLAIM, SuperOfficeOidc } from '../../../backend/superoffice/oidc.js';

/**
 * The id_token checks, against an identity provider whose key the test holds, so every way a
 * token can be wrong can be produced: wrong audience, issuer, signature, tenant, nonce; expired.
 */
describe('SuperOffice id_token verification', () => {
  let server: Server;
  let issuer: string;
  let key: CryptoKey;
  let otherKey: CryptoKey;
  let oidc: SuperOfficeOidc;

  before(async () => {
    const served = await generateKeyPair('RS256');
    key = served.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(served.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/login/.well-known/openid-configuration') {
        res.end(JSON.stringify({ issuer, authorization_endpoint: `${issuer}/login/common/oauth/authorize`, token_endpoint: `${issuer}/login/common/oauth/tokens`, jwks_uri: `${issuer}/login/.well-known/jwks` }));
      } else if (req.url === '/login/.well-known/jwks') {
        res.end(JSON.stringify({ keys: [jwk] }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    oidc = new SuperOfficeOidc({ url: issuer, clientId: 'app', clientSecret: 's', redirectUri: 'http://localhost/cb' }, createFetch());
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  async function token(overrides: Record<string, unknown> = {}, signWith: CryptoKey = key) {
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      sub: 'ada@example.com',
      iss: issuer,
      aud: 'app',
      // As SuperOffice sends them: iat as a string, SuperOffice claims as strings.
      iat: String(now),
      nbf: now - 5,
      exp: now + 300,
      nonce: 'n-1',
      [SO_CLAIM + 'ctx']: 'Cust12345',
      [SO_CLAIM + 'associateid']: '5',
      [SO_CLAIM + 'is_administrator']: 'True',
      [SO_CLAIM + 'webapi_url']: 'https://sod.superoffice.com/Cust12345/api/',
      ...overrides,
    };
    for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(signWith);
  }

  test('a good token gives the identity', async () => {
    const id = await oidc.verifyIdToken(await token(), { nonce: 'n-1', tenantId: 'Cust12345' });
    assert.deepEqual(
      { tenant: id.tenantId, associate: id.associateId, webApi: id.webApiUrl },
      { tenant: 'Cust12345', associate: 5, webApi: 'https://sod.superoffice.com/Cust12345/api/' },
    );
  });

  const refusals: [string, () => Promise<string>, { nonce: string; tenantId?: string }, string][] = [
    ['wrong audience', () => token({ aud: 'another-app' }), { nonce: 'n-1' }, 'InvalidIdToken'],
    ['wrong issuer', () => token({ iss: 'https://evil.example' }), { nonce: 'n-1' }, 'InvalidIdToken'],
    ['expired', () => token({ exp: Math.floor(Date.now() / 1000) - 600 }), { nonce: 'n-1' }, 'InvalidIdToken'],
    ['not yet valid', () => token({ nbf: Math.floor(Date.now() / 1000) + 600 }), { nonce: 'n-1' }, 'InvalidIdToken'],
    ['no expiry', () => token({ exp: undefined }), { nonce: 'n-1' }, 'InvalidIdToken'],
    ['signed by another key', () => token({}, otherKey), { nonce: 'n-1' }, 'InvalidIdToken'],
    ['another sign-in (nonce)', () => token({ nonce: 'n-2' }), { nonce: 'n-1' }, 'InvalidIdToken'],
    ['another tenant', () => token({ [SO_CLAIM + 'ctx']: 'Cust99999' }), { nonce: 'n-1', tenantId: 'Cust12345' }, 'WrongTenant'],
    ['no associate', () => token({ [SO_CLAIM + 'associateid']: undefined }), { nonce: 'n-1' }, 'InvalidIdToken'],
  ];
  for (const [name, make, expected, code] of refusals) {
    test(`refuses a token with ${name}`, async () => {
      await assert.rejects(oidc.verifyIdToken(await make(), expected), (err: { code?: string }) => err.code === code);
    });
  }

  test('refuses a token whose signature was tampered with, or an unsigned one', async () => {
    const good = await token();
    const [h, p, s] = good.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), [SO_CLAIM + 'associateid']: '1' })).toString('base64url');
    await assert.rejects(oidc.verifyIdToken(`${h}.${forgedPayload}.${s}`, { nonce: 'n-1' }), { code: 'InvalidIdToken' });
    const none = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    await assert.rejects(oidc.verifyIdToken(`${none}.${p}.`, { nonce: 'n-1' }), { code: 'InvalidIdToken' });
  });
});
