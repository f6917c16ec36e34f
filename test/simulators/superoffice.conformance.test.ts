/**
 * Conformance with the shapes SuperOffice documents (the superoffice-docs reference pages, the
 * native-app quickstart's capture, the @superoffice/webapi package's samples). Every expectation
 * here is copied from those, not from the simulator, so the simulator cannot drift into shapes
 * that only our own client accepts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLocalJWKSet, compactVerify, decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import type { SuperOfficeSimulator } from '../../simulators/superoffice/superoffice.simulator.js';
import { ADMIN_IDS, associateIdAt, CLIENT, CONTEXT_ID, RETIRED_IDS, TWO_EMAILS_ID, TWO_EMAILS_PRIMARY } from './superoffice.fixture.js';
import { api, signIn, startFixtureSimulator, tokenRequest } from './superoffice.helpers.js';

// §2.1 id_token example (validate-security-tokens.md).
const PREFIX = 'http://schemes.superoffice.net/identity/';
const PREFIXED_CLAIMS = [
  'associateid', 'identityprovider', 'email', 'upn', 'is_administrator', 'ctx', 'company_name', 'serial',
  'netserver_url', 'webapi_url', 'system_token', 'initials', 'so_primary_email_address',
];
const ID_TOKEN_KEYS = ['sub', ...PREFIXED_CLAIMS.map((c) => PREFIX + c), 'iat', 'nonce', 'nbf', 'exp', 'iss', 'aud'];

// §2.1 / oidc-metadata.md.
const DISCOVERY_KEYS = [
  'issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri', 'scopes_supported', 'response_modes_supported',
  'response_types_supported', 'subject_types_supported', 'id_token_signing_alg_values_supported',
  'token_endpoint_auth_methods_supported', 'grant_types_supported',
];

// §2.5 and v1User_GetCurrentPrincipal.md: SoPrincipalCarrier, with the type of each property.
const PRINCIPAL: Record<string, 'string' | 'number' | 'boolean' | 'array'> = {
  UserType: 'string', Associate: 'string', AssociateId: 'number', IsPerson: 'boolean', PersonId: 'number',
  CountryId: 'number', HomeCountryId: 'number', ContactId: 'number', GroupId: 'number', BusinessId: 'number',
  CategoryId: 'number', ContactOwner: 'number', RoleId: 'number', RoleName: 'string', RoleDescription: 'string',
  RoleType: 'string', Licenses: 'array', FullName: 'string', EMailAddress: 'string', FunctionRights: 'array',
  EjUserId: 'number', EjAccessLevel: 'number', EjUserStatus: 'string', ProvidedCredentials: 'array',
  SecondaryGroups: 'array', DatabaseContextIdentifier: 'string', UserName: 'string',
};
const USER_TYPES = ['Unknown', 'InternalAssociate', 'ResourceAssociate', 'ExternalAssociate', 'AnonymousAssociate', 'SystemAssociate'];

// §1.1 WebPanelEntity (PKG Carriers.ts), in order.
const WEBPANEL_KEYS = [
  'WebPanelId', 'Name', 'Tooltip', 'Deleted', 'Rank', 'UrlEncoding', 'VisibleIn', 'OnCentral', 'OnSatellite', 'OnTravel',
  'OnSalesMarketingWeb', 'OnSalesMarketingPocket', 'ShowInMenuBar', 'ShowInToolBar', 'ShowInAddressBar', 'ShowInStatusBar',
  'WindowName', 'Url', 'ProgId', 'Icon', 'AlwaysReloadOnShow', 'NeverReloadOnCurrentChange', 'CustomObjectEntity',
  'TableRight', 'FieldProperties',
];
// §1.1 VisibleIn table: value → name, for the bounds and the names this app uses.
const NAVIGATION_SAMPLES: [number, string][] = [
  [0, 'Invisible'], [2, 'NavigatorButton'], [4, 'SelectionTaskCard'], [5, 'ContactCard'], [13, 'BrowserPanel'],
  [14, 'ContSelectionTask'], [19, 'CompanyMinicard'], [23, 'ButtonPanelTask'], [28, 'SaleMinicard'],
  [30, 'AppntSelectionShadowTask'], [34, 'DiaryArchive'], [40, 'ContSelectionCustomTask'], [45, 'CustomArchiveMiniCard'],
  [48, 'QuoteDialog'], [57, 'FindSystem'], [58, 'MailingSelectionTask'], [65, 'TopPanelNewMenu'], [66, 'Dashboard'],
  [69, 'CompanyCardTask'], [74, 'CustomObjectArchive'],
];
const URL_ENCODINGS = ['Unknown', 'None', 'ANSI', 'Unicode'];

// §3 agent ArchiveListItem and §4 error bodies.
const AGENT_ROW_KEYS = ['EntityName', 'PrimaryKey', 'ColumnData', 'LinkHint', 'StyleHint', 'TableRight', 'FieldProperties'];
const REST_ERROR_KEYS = ['Error', 'ErrorType', 'ErrorMessage', 'ErrorSource'];
const ERROR_SOURCE = 'SuperOffice.Services.Implementation';

function decode(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('SuperOffice simulator conforms to the reference', () => {
  let sim: SuperOfficeSimulator;
  let token: string;
  before(async () => {
    sim = await startFixtureSimulator();
    token = (await signIn(sim, ADMIN_IDS[0] ?? 0)).access_token;
  });
  after(() => sim.close());

  test('§2.1 discovery: the documented keys, endpoints under /login, RS256, openid only, no UserInfo', async () => {
    const doc = (await (await fetch(`${sim.url}/login/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(doc), DISCOVERY_KEYS);
    assert.equal(doc.issuer, sim.url, 'issuer is the bare origin, like https://sod.superoffice.com');
    assert.equal(doc.authorization_endpoint, `${sim.url}/login/common/oauth/authorize`);
    assert.equal(doc.token_endpoint, `${sim.url}/login/common/oauth/tokens`);
    assert.equal(doc.jwks_uri, `${sim.url}/login/.well-known/jwks`);
    assert.deepEqual(doc.id_token_signing_alg_values_supported, ['RS256']);
    assert.deepEqual(doc.scopes_supported, ['openid']);
    assert.equal(doc.userinfo_endpoint, undefined);
  });

  test('§2.1 token response: documented keys; the access token is opaque 8A:<ctx>.…, not a JWT', async () => {
    const signed = await signIn(sim, associateIdAt(1));
    const { nonce: _nonce, ...response } = signed;
    assert.deepEqual(Object.keys(response), ['token_type', 'access_token', 'expires_in', 'refresh_token', 'id_token']);
    assert.equal(response.token_type, 'Bearer');
    assert.equal(typeof response.expires_in, 'number');
    assert.match(response.access_token, /^8A:Cust\d+\.[^.]+$/);
    assert.equal(response.access_token.split('.').length, 2, 'not three JWT segments');
  });

  test('§2.1 id_token: exactly the documented claims, prefixed, with string values; iat is a string too', async () => {
    const signed = await signIn(sim, ADMIN_IDS[1] ?? 0);
    const header = decodeProtectedHeader(signed.id_token);
    assert.equal(header.alg, 'RS256');
    const jwks = (await (await fetch(`${sim.url}/login/.well-known/jwks`)).json()) as JSONWebKeySet;
    assert.ok(jwks.keys.some((k) => k.kid === header.kid), 'the kid is in the JWKS');
    await compactVerify(signed.id_token, createLocalJWKSet(jwks));

    const claims = decode(signed.id_token);
    assert.deepEqual(Object.keys(claims).sort(), [...ID_TOKEN_KEYS].sort());
    for (const name of PREFIXED_CLAIMS) assert.equal(typeof claims[PREFIX + name], 'string', name);
    assert.match(String(claims[`${PREFIX}associateid`]), /^\d+$/);
    assert.ok(['True', 'False'].includes(String(claims[`${PREFIX}is_administrator`])));
    assert.equal(claims[`${PREFIX}is_administrator`], 'True');
    assert.equal(claims[`${PREFIX}ctx`], CONTEXT_ID);
    assert.equal(claims[`${PREFIX}webapi_url`], `${sim.webApiUrl()}`);
    assert.match(String(claims[`${PREFIX}webapi_url`]), new RegExp(`/${CONTEXT_ID}/api/$`));
    assert.notEqual(new URL(String(claims[`${PREFIX}webapi_url`])).origin, new URL(sim.url).origin, 'the Web API is another host than SuperID, as in Online');
    assert.match(String(claims.iat), /^\d+$/);
    assert.equal(typeof claims.iat, 'string');
    assert.equal(typeof claims.nbf, 'number');
    assert.equal(typeof claims.exp, 'number');
    assert.equal(claims.iss, sim.url);
    assert.equal(claims.aud, CLIENT.clientId);
    assert.equal(claims.nonce, signed.nonce);
  });

  test('OAuth errors: {"error","error_description"}', async () => {
    const res = await tokenRequest(sim, { grant_type: 'refresh_token', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, refresh_token: 'x' });
    assert.equal(res.status, 400);
    assert.deepEqual(Object.keys((await res.json()) as object), ['error', 'error_description']);
  });

  test('§2.5 currentPrincipal: SoPrincipalCarrier in PascalCase with the documented property types', async () => {
    const res = await api(sim, 'GET', 'v1/User/currentPrincipal', { token });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), Object.keys(PRINCIPAL).sort());
    for (const [key, type] of Object.entries(PRINCIPAL)) {
      const value = res.body[key];
      assert.equal(type === 'array' ? Array.isArray(value) : typeof value === type, true, `${key} is ${type}`);
    }
    assert.ok(USER_TYPES.includes(res.body.UserType));
    assert.deepEqual(res.body.FunctionRights, [...res.body.FunctionRights].sort(), 'FunctionRights is sorted');
    assert.ok(res.body.FunctionRights.includes('admin-all'));
  });

  test('§3 OData archive as captured: odata.metadata, odata.nextLink null for a client-set $top, value; PrimaryKey a string, EntityName the entity', async () => {
    const select = 'associateDbId,assocName,fullName,personId,assocType,usergroup,isActive,personEmail';
    const first = await api(sim, 'GET', `v1/Archive/InternalUsers?$select=${select}&$entities=all&$orderBy=associateDbId&$top=7&$skip=0&$output=Logical`, { token });
    assert.equal(first.status, 200);
    assert.deepEqual(Object.keys(first.body), ['odata.metadata', 'odata.nextLink', 'value']);
    assert.equal(first.body['@odata.nextLink'], undefined, 'OData v3 JSON light, not v4');
    assert.equal(first.body['odata.nextLink'], null, 'the native-app quickstart capture: null although more rows exist');
    assert.equal(first.body.value.length, 7);
    const row = first.body.value[0];
    assert.deepEqual(Object.keys(row), ['PrimaryKey', 'EntityName', ...select.split(',')]);
    assert.equal(row.PrimaryKey, String(associateIdAt(0)));
    assert.equal(row.EntityName, 'all');
    assert.equal(typeof row.isActive, 'boolean', '$output=Logical gives true/false');
    assert.equal(typeof row.personId, 'number');
    assert.equal(typeof row.associateDbId, 'string', 'an associate column is display text in Slim mode');
    assert.equal(row.usergroup, 'Administrators');

    const last = await api(sim, 'GET', `v1/Archive/InternalUsers?$select=${select}&$entities=all&$orderBy=associateDbId&$top=7&$skip=14&$output=Logical`, { token });
    assert.equal(last.body['odata.nextLink'], null);
    assert.equal(last.body.value.length, 6);
  });

  test('§3 InternalUsers has no usergroupId column: refused with SuperOffice\'s error body', async () => {
    const res = await api(sim, 'GET', 'v1/Archive/InternalUsers?$select=associateDbId,usergroupId&$entities=all', { token });
    assert.equal(res.status, 400);
    assert.deepEqual(Object.keys(res.body), ['Error', 'ErrorType', 'ErrorMessage', 'ErrorSource']);
    assert.equal(res.body.Error, true);
    assert.match(res.body.ErrorMessage, /usergroupId/);
  });

  test('§3 a row per entity: without $entities an associate comes once per entity it is in (all, its licence, retired)', async () => {
    const all = await api(sim, 'GET', 'v1/Archive/InternalUsers?$select=associateDbId&$orderBy=associateDbId&$top=100', { token });
    const keys = all.body.value.map((r: any) => `${r.PrimaryKey}/${r.EntityName}`);
    assert.equal(keys.length, 40, '20 associates, two entities each');
    assert.ok(keys.includes(`${associateIdAt(0)}/all`) && keys.includes(`${associateIdAt(0)}/superoffice_ten-sales`));
    assert.ok(keys.includes(`${RETIRED_IDS[0]}/all`) && keys.includes(`${RETIRED_IDS[0]}/retired`));
    const only = await api(sim, 'GET', 'v1/Archive/InternalUsers?$select=associateDbId&$entities=all&$orderBy=associateDbId&$top=100', { token });
    assert.equal(only.body.value.length, 20);
    assert.equal(new Set(only.body.value.map((r: any) => r.PrimaryKey)).size, 20);
  });

  test('§3 $mode=Full rows carry typed RawValues, StyleHint and TableRight', async () => {
    const res = await api(sim, 'GET', `v1/Archive/InternalUsers?$select=associateDbId,usergroup&$entities=all&$mode=Full&$top=1`, { token });
    const row = res.body.value[0];
    assert.deepEqual(Object.keys(row), ['PrimaryKey', 'EntityName', 'LinkHint', 'StyleHint', 'TableRight', 'Column']);
    assert.equal(row.Column.associateDbId.RawValue, associateIdAt(0));
    assert.equal(row.Column.usergroup.RawValue, 1);
    assert.equal(row.Column.usergroup.DisplayValue, 'Administrators');
    assert.deepEqual(row.TableRight, { Mask: 'Select', Reason: '' });
  });

  test('§3 personEmail is the rank-1 address of the card, whatever order the rows were stored in', async () => {
    const res = await api(sim, 'GET', `v1/Archive/InternalUsers?$select=personEmail&$entities=all&$filter=associateDbId eq ${TWO_EMAILS_ID}`, { token });
    assert.equal(res.body.value.length, 1);
    assert.equal(res.body.value[0].personEmail, TWO_EMAILS_PRIMARY);
  });

  test('§3 agent archive rows: documented keys; DisplayValue encoded [I:n] for ints, plain for strings', async () => {
    const res = await api(sim, 'POST', 'v1/Agents/Archive/GetArchiveListByColumns2', {
      token,
      body: { ProviderName: 'InternalUsers', Columns: 'associateDbId,fullName,personId', SortOrder: 'associateDbId asc', Restrictions: 'getAllRows = 1', Entities: '', Page: 0, PageSize: 500 },
    });
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(res.body));
    const row = res.body[0];
    assert.deepEqual(Object.keys(row), AGENT_ROW_KEYS);
    assert.deepEqual(Object.keys(row.ColumnData.fullName), ['DisplayValue', 'TooltipHint', 'LinkHint']);
    assert.match(row.ColumnData.associateDbId.DisplayValue, /^\[I:\d+\]$/);
    assert.match(row.ColumnData.personId.DisplayValue, /^\[I:\d+\]$/);
    assert.doesNotMatch(row.ColumnData.fullName.DisplayValue, /^\[/);
  });

  test('§1.1/§1.3 WebPanelEntity: documented PascalCase fields; VisibleIn and UrlEncoding carry the enum names', async () => {
    const res = await api(sim, 'POST', 'v1/List/WebPanel/Items', {
      token,
      body: { WebPanelId: 0, Name: 'M365 Sync Admin', VisibleIn: 'BrowserPanel', UrlEncoding: 'None', ProgId: 'conformance.panel' },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body), WEBPANEL_KEYS);
    assert.equal(res.body.VisibleIn, 'BrowserPanel');
    assert.equal(res.body.UrlEncoding, 'None');
    for (const [value, name] of NAVIGATION_SAMPLES) {
      const r = await api(sim, 'PUT', `v1/List/WebPanel/Items/${res.body.WebPanelId}`, { token, body: { VisibleIn: value } });
      assert.equal(r.body.VisibleIn, name, `Navigation ${value}`);
    }
    for (const [value, name] of URL_ENCODINGS.entries()) {
      const r = await api(sim, 'PUT', `v1/List/WebPanel/Items/${res.body.WebPanelId}`, { token, body: { UrlEncoding: value } });
      assert.equal(r.body.UrlEncoding, name);
    }
    const beyond = await api(sim, 'PUT', `v1/List/WebPanel/Items/${res.body.WebPanelId}`, { token, body: { VisibleIn: 75 } });
    assert.equal(beyond.status, 400, 'there is no Navigation 75, and no admin location');
  });

  test('§4 errors: REST bodies, agent bodies with Message, agent not-found 200 null, missing parameter, DELETE 204', async () => {
    const rest = await api(sim, 'GET', 'v1/List/WebPanel/Items/99999', { token });
    assert.equal(rest.status, 404);
    assert.deepEqual(Object.keys(rest.body), REST_ERROR_KEYS);
    assert.equal(rest.body.Error, true);
    assert.equal(rest.body.ErrorType, 'SoNotFoundException');
    assert.equal(rest.body.ErrorSource, ERROR_SOURCE);

    const agentError = await api(sim, 'POST', 'v1/Agents/List/SaveWebPanelEntity', { token, body: { VisibleIn: 'Admin' } });
    assert.equal(agentError.status, 400);
    assert.equal(agentError.body.Error, true);
    assert.equal(typeof agentError.body.Message, 'string', 'agents say Message');
    assert.equal(agentError.body.ErrorSource, ERROR_SOURCE);

    const notFound = await api(sim, 'POST', 'v1/Agents/List/GetWebPanelEntity?webPanelEntityId=99999', { token });
    assert.equal(notFound.status, 200);
    assert.equal(notFound.text, 'null');

    const missing = await api(sim, 'POST', 'v1/Agents/List/GetWebPanelEntity', { token });
    assert.equal(missing.status, 200);
    assert.equal(missing.body.Message, 'The request is invalid.');
    assert.equal(typeof missing.body.MessageDetail, 'string');

    const created = await api(sim, 'POST', 'v1/List/WebPanel/Items', { token, body: { Name: 'to delete' } });
    const deleted = await api(sim, 'DELETE', `v1/List/WebPanel/Items/${created.body.WebPanelId}`, { token });
    assert.equal(deleted.status, 204);
  });

  test('§1.1 the web panel list id comes from MDO list "Lists", Type "webpanel"', async () => {
    const res = await api(sim, 'GET', 'v1/MDOList/Lists', { token });
    const item = res.body.find((i: { Type: string }) => i.Type === 'webpanel');
    assert.equal(typeof item?.Id, 'number');
    for (const key of ['Id', 'Name', 'ToolTip', 'Deleted', 'Rank', 'Type', 'ChildItems']) assert.ok(key in item, key);
  });
});
