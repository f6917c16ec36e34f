import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { ManifestError, MANIFEST_FILE, resolveManifest, SCHEMA_FILE, validateManifest } from '../../../backend/deploy/manifest.js';
import { DEMO_ENTRA_APP } from '../../../backend/demo/demo-environment.js';
import { ACCEPT_SCOPES } from '../../../backend/invites/accept.service.js';
import { ACCEPT_GRANT_SCOPES } from '../../../backend/microsoft/delegated-token.js';
import { ACCEPT_CALLBACK, CONSENT_CALLBACK, MICROSOFT_SIGNIN_CALLBACK, SUPEROFFICE_CALLBACK } from '../../../backend/http/paths.js';

const shipped = () => JSON.parse(readFileSync(MANIFEST_FILE, 'utf8'));

/** The JSON paths a manifest is refused with. */
function problems(doc: unknown, options: { baseUrl?: string; production?: boolean } = {}): string[] {
  try {
    validateManifest(doc, options);
  } catch (err) {
    if (err instanceof ManifestError) return err.problems.map((p) => p.path);
    throw err;
  }
  return [];
}

describe('manifest/app.manifest.json and its JSON Schema', () => {
  test('the shipped manifest is valid, for production with an https base URL', () => {
    assert.deepEqual(problems(shipped(), { baseUrl: 'https://mailbox-link.example.com', production: true }), []);
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  });

  test('it describes a BrowserPanel with the template variables and a NavigatorButton that opens it', () => {
    const r = resolveManifest(shipped(), { baseUrl: 'https://app.example.com/', production: true });
    const browser = r.panels.find((p) => p.VisibleIn === 'BrowserPanel')!;
    const button = r.panels.find((p) => p.VisibleIn === 'NavigatorButton')!;
    assert.equal(browser.Url, 'https://app.example.com/panel/?ctx=<uctx>&uid=<usid>&lang=<lani>');
    for (const v of ['<uctx>', '<usid>', '<lani>']) assert.ok(browser.Url.includes(v), v);
    assert.equal(button.Url, `soprotocol:browser.${browser.WindowName}`);
    assert.ok(r.panels.every((p) => p.ProgId.startsWith(r.manifest.prefix) && p.WindowName.startsWith(r.manifest.prefix)));
    assert.deepEqual(r.userGroups, ['$administrators']);
    assert.match(browser.Tooltip, /\(Mailbox Link \d+\.\d+\.\d+\)$/);
  });

  test('its registrations match what the app really uses', () => {
    const m = shipped();
    assert.deepEqual(m.superoffice.redirectUrls, [`\${baseUrl}${SUPEROFFICE_CALLBACK}`]);
    assert.deepEqual(m.microsoftGraph.redirectUris, [`\${baseUrl}${MICROSOFT_SIGNIN_CALLBACK}`, `\${baseUrl}${CONSENT_CALLBACK}`, `\${baseUrl}${ACCEPT_CALLBACK}`]);
    // The accept page signs in through the backend (a web redirect URI): no single-page application.
    assert.deepEqual(m.microsoftGraph.spaRedirectUris, []);
    // The demo's Entra app is registered with exactly the permissions the manifest asks for.
    assert.deepEqual(m.microsoftGraph.applicationPermissions.map((p: { permission: string }) => p.permission).sort(), [...DEMO_ENTRA_APP.permissions].sort());
    assert.ok(m.microsoftGraph.applicationPermissions.every((p: { reason: string }) => p.reason.length > 10 && !p.reason.includes('\n')));
    // Delegated too: what the accept page's grant sign-in asks for (with openid, profile and
    // offline_access), so admin consent covers invitees where users may not consent.
    const delegated = m.microsoftGraph.delegatedPermissions.map((p: { permission: string }) => p.permission).sort();
    assert.deepEqual(delegated, [...DEMO_ENTRA_APP.delegatedPermissions].sort());
    assert.deepEqual(delegated, [...new Set(['openid', 'profile', 'offline_access', ...ACCEPT_SCOPES, ...ACCEPT_GRANT_SCOPES])].sort());
    assert.ok(m.microsoftGraph.delegatedPermissions.every((p: { reason: string }) => p.reason.length > 10 && !p.reason.includes('\n')));
  });

  test('broken manifests fail with the JSON path named', () => {
    const missingUrl = shipped();
    delete missingUrl.webPanels[0].url;
    assert.deepEqual(problems(missingUrl), ['$.webPanels[0].url']);

    const badVisibleIn = shipped();
    badVisibleIn.webPanels[1].visibleIn = 'SettingsAndMaintenance';
    assert.deepEqual(problems(badVisibleIn), ['$.webPanels[1].visibleIn']);

    const duplicate = shipped();
    duplicate.webPanels[1].progId = duplicate.webPanels[0].progId;
    assert.deepEqual(problems(duplicate), ['$.webPanels[1].progId']);

    assert.deepEqual(problems(shipped(), { baseUrl: 'http://mailbox-link.example.com', production: true }), ['$.baseUrl']);
    assert.match(
      (() => {
        try {
          validateManifest(shipped(), { baseUrl: 'http://mailbox-link.example.com', production: true });
        } catch (err) {
          return (err as Error).message;
        }
        return '';
      })(),
      /\$\.baseUrl: must use https in production/,
    );
    // Development allows http on localhost only.
    assert.deepEqual(problems(shipped(), { baseUrl: 'http://localhost:3000', production: false }), []);
    assert.deepEqual(problems(shipped(), { baseUrl: 'http://10.0.0.5', production: false }), ['$.baseUrl']);
  });

  test('more refusals, each located', () => {
    const cases: [string, (m: any) => void, string[]][] = [
      ['outside the prefix', (m) => (m.webPanels[0].progId = 'other.settings'), ['$.webPanels[0].progId']],
      ['button to nowhere', (m) => (m.webPanels[1].url = 'soprotocol:browser.mailboxlink.missing'), ['$.webPanels[1].url']],
      ['unknown property', (m) => (m.webPanels[0].colour = 'red'), ['$.webPanels[0].colour']],
      ['wrong type', (m) => (m.webPanels[0].rank = 'first'), ['$.webPanels[0].rank']],
      ['no panels', (m) => (m.webPanels = []), ['$.webPanels']],
      ['no user groups', (m) => (m.visibility.userGroups = []), ['$.visibility.userGroups']],
      ['no reason', (m) => delete m.microsoftGraph.applicationPermissions[0].reason, ['$.microsoftGraph.applicationPermissions[0].reason']],
      ['delegated without reason', (m) => delete m.microsoftGraph.delegatedPermissions[1].reason, ['$.microsoftGraph.delegatedPermissions[1].reason']],
      ['no delegated permissions', (m) => delete m.microsoftGraph.delegatedPermissions, ['$.microsoftGraph.delegatedPermissions']],
      ['two-line reason', (m) => (m.microsoftGraph.applicationPermissions[0].reason = 'one line\nand another'), ['$.microsoftGraph.applicationPermissions[0].reason']],
      ['unknown agent', (m) => (m.superoffice.restrictedAgents = [{ agent: 'everything', reason: 'because we can' }]), ['$.superoffice.restrictedAgents[0].agent']],
      ['bad version', (m) => (m.app.version = 'latest'), ['$.app.version']],
      ['javascript url', (m) => (m.webPanels[0].url = 'javascript:alert(1)'), ['$.webPanels[0].url']],
    ];
    for (const [what, breakIt, expected] of cases) {
      const m = shipped();
      breakIt(m);
      assert.deepEqual(problems(m), expected, what);
    }
    assert.deepEqual(problems('not an object'), ['$']);
  });
});
