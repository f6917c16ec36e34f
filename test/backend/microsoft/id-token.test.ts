import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { EntraIdTokens, IdTokenError } from '../../../backend/microsoft/id-token.js';
import { DEMO_CASES, demoTenant } from '../../../simulators/demo-tenant.js';
import { startEntraSimulator, type EntraSimulator } from '../../../simulators/entra/entra.simulator.js';
import { simulatorFetch } from '../../../simulators/tls.js';
import { otherOrganisation } from '../../simulators/ms-sim-harness.js';

const CLIENT_ID = '5e8a1c3f-2b7d-4a90-8c6e-1f4b9d2a7e03';

/**
 * The Entra id token verifier, in both of its uses: the accept page (one organisation allowed) and
 * the administrator's sign-in at `organizations` before admin consent (any organisation, whose own
 * `tid` the issuer must name). Each check refuses a token that fails only that check.
 */
describe('Entra id tokens: each check refuses', () => {
  let entra: EntraSimulator;
  let trusted: Awaited<ReturnType<typeof simulatorFetch>>;
  let verifier: EntraIdTokens;
  const home = demoTenant('demo');
  const other = otherOrganisation();
  const kari = DEMO_CASES.adminMailboxId;
  const fiona = other.mailboxes[0]!.id;

  before(async () => {
    entra = await startEntraSimulator({ tenant: home, otherTenants: [other], apps: [{ clientId: CLIENT_ID, redirectUris: [], permissions: [] }] });
    trusted = await simulatorFetch();
    verifier = new EntraIdTokens({ authorityUrl: entra.url, clientId: CLIENT_ID }, trusted.fetch);
  });
  after(async () => {
    await entra.close();
    await trusted.close();
  });

  const mint = (o: { tenantId?: string; userId?: string; clientId?: string; nonce?: string; lifetimeSeconds?: number; claims?: Record<string, unknown> } = {}) =>
    entra.control.mintIdToken({ tenantId: home.entraTenantId, userId: kari, clientId: CLIENT_ID, nonce: 'n1', ...o });

  async function refused(token: string, expected: Parameters<EntraIdTokens['verify']>[1], code: string, why: RegExp): Promise<void> {
    await assert.rejects(verifier.verify(token, expected), (err: unknown) => {
      assert.ok(err instanceof IdTokenError, String(err));
      assert.equal(err.code, code);
      assert.match(err.message, why);
      assert.ok(!err.message.includes(token), 'the token is not in the message');
      return true;
    });
  }

  test('a good token passes, for its own organisation and at organizations (with that organisation’s tid)', async () => {
    const who = await verifier.verify(await mint(), { tenantId: home.entraTenantId, nonce: 'n1' });
    assert.deepEqual([who.oid, who.tid, who.nonce], [kari, home.entraTenantId, 'n1']);
    const elsewhere = await verifier.verify(await mint({ tenantId: other.entraTenantId, userId: fiona }), { tenantId: null, nonce: 'n1' });
    assert.deepEqual([elsewhere.oid, elsewhere.tid, elsewhere.name], [fiona, other.entraTenantId, 'Fiona Fabrikam']);
  });

  test('bad signature: another key, under the real key id', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const genuine = await mint();
    const { kid } = decodeProtectedHeader(genuine);
    const forged = await new SignJWT({ ...(JSON.parse(Buffer.from(genuine.split('.')[1]!, 'base64url').toString()) as object) })
      .setProtectedHeader({ alg: 'RS256', kid: kid!, typ: 'JWT' })
      .sign(privateKey);
    for (const tenantId of [home.entraTenantId, null]) await refused(forged, { tenantId, nonce: 'n1' }, 'InvalidIdToken', /bad signature/);
    // And a token whose payload was edited after signing (another organisation's tid).
    const [h, , s] = genuine.split('.');
    const edited = `${h}.${Buffer.from(JSON.stringify({ ...(JSON.parse(Buffer.from(genuine.split('.')[1]!, 'base64url').toString()) as object), tid: other.entraTenantId, iss: `${entra.url}/${other.entraTenantId}/v2.0` })).toString('base64url')}.${s}`;
    await refused(edited, { tenantId: null, nonce: 'n1' }, 'InvalidIdToken', /bad signature/);
  });

  test('wrong issuer: another host, or another organisation than the token’s tid', async () => {
    const foreignHost = await mint({ claims: { iss: `https://login.example.net/${home.entraTenantId}/v2.0` } });
    for (const tenantId of [home.entraTenantId, null]) await refused(foreignHost, { tenantId, nonce: 'n1' }, 'InvalidIdToken', /wrong issuer/);
    // tid says one organisation, the issuer another: at organizations the tid is not believed.
    const mismatched = await mint({ claims: { iss: `${entra.url}/${other.entraTenantId}/v2.0` } });
    await refused(mismatched, { tenantId: null, nonce: 'n1' }, 'InvalidIdToken', /wrong issuer/);
    // The v1.0 issuer (sts form) is not an id token of the v2.0 endpoint.
    await refused(await mint({ claims: { iss: `${entra.url}/${home.entraTenantId}/` } }), { tenantId: null, nonce: 'n1' }, 'InvalidIdToken', /wrong issuer/);
  });

  test('wrong audience: issued to another app', async () => {
    const token = await mint({ clientId: 'ffffffff-1111-4222-8333-444444444444' });
    for (const tenantId of [home.entraTenantId, null]) await refused(token, { tenantId, nonce: 'n1' }, 'InvalidIdToken', /issued to another app/);
  });

  test('wrong nonce, or none', async () => {
    await refused(await mint({ nonce: 'n2' }), { tenantId: null, nonce: 'n1' }, 'InvalidIdToken', /another sign-in/);
    await refused(await mint({ nonce: 'n2' }), { tenantId: home.entraTenantId, nonce: 'n1' }, 'InvalidIdToken', /another sign-in/);
    await refused(await mint({ nonce: undefined, claims: { nonce: undefined } }), { tenantId: null, nonce: 'n1' }, 'InvalidIdToken', /nonce/);
  });

  test('missing or mismatched tid', async () => {
    const noTid = await mint({ claims: { tid: undefined } });
    await refused(noTid, { tenantId: null, nonce: 'n1' }, 'InvalidIdToken', /no organisation/);
    await refused(noTid, { tenantId: home.entraTenantId, nonce: 'n1' }, 'InvalidIdToken', /claim tid/);
    await refused(await mint({ claims: { tid: 'not-a-guid' } }), { tenantId: null, nonce: 'n1' }, 'InvalidIdToken', /no organisation/);
    // A genuine token of another organisation where one organisation is expected.
    await refused(await mint({ tenantId: other.entraTenantId, userId: fiona }), { tenantId: home.entraTenantId, nonce: 'n1' }, 'WrongOrganisation', /another Microsoft 365 organisation/);
    // Personal Microsoft accounts have no organisation to approve for.
    const consumer = '9188040d-6c67-4c5b-b112-36a304b66dad';
    await refused(await mint({ claims: { tid: consumer, iss: `${entra.url}/${consumer}/v2.0` } }), { tenantId: null, nonce: 'n1' }, 'WrongOrganisation', /personal Microsoft account/);
  });

  test('expired', async () => {
    const token = await mint({ lifetimeSeconds: -600 });
    for (const tenantId of [home.entraTenantId, null]) await refused(token, { tenantId, nonce: 'n1' }, 'InvalidIdToken', /expired/);
  });

  test('not a token at all', async () => {
    await refused('x.y.z', { tenantId: null, nonce: 'n1' }, 'InvalidIdToken', /not a token/);
  });
});
