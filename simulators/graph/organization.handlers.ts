import { requireOrganizationRead, type Principal } from './auth.js';
import { directoryOf, GRAPH_JSON, type GraphEnv } from './graph-env.js';
import { GraphError } from './graph-errors.js';
import type { GraphCall, GraphResult } from './graph.types.js';

/** The properties of `microsoft.graph.organization` this simulator has (resources/organization). */
const PROPERTIES = ['id', 'displayName', 'verifiedDomains', 'tenantType', 'countryLetterCode', 'preferredLanguage', 'createdDateTime'] as const;

/**
 * `GET /organization` (learn.microsoft.com/graph/api/organization-get, v1.0): the caller's own
 * organization as a one-element collection, `{ "@odata.context", value: [{ id, displayName,
 * verifiedDomains: [{ capabilities, isDefault, isInitial, name, type }], … }] }`. Needs
 * `Organization.Read.All` (least privileged) or a higher directory permission; without it Graph
 * answers 403 `Authorization_RequestDenied`. `$select` narrows the properties.
 */
export function getOrganization(env: GraphEnv, call: GraphCall, principal: Principal): GraphResult {
  requireOrganizationRead(principal);
  const { tenant } = directoryOf(env, principal);
  const initial = `${tenant.domain.split('.')[0]}.onmicrosoft.com`;
  const full: Record<string, unknown> = {
    id: tenant.entraTenantId,
    displayName: tenant.companyName,
    verifiedDomains: [
      { capabilities: 'Email, OfficeCommunicationsOnlineService', isDefault: true, isInitial: false, name: tenant.domain, type: 'Managed' },
      { capabilities: 'Email, OfficeCommunicationsOnlineService', isDefault: false, isInitial: true, name: initial, type: 'Managed' },
    ],
    tenantType: 'AAD',
    countryLetterCode: 'NO',
    preferredLanguage: 'nb-NO',
    createdDateTime: '2019-03-04T08:00:00Z',
  };
  const selectRaw = call.query.get('$select');
  const select = selectRaw?.split(',').map((s) => s.trim()).filter(Boolean) ?? null;
  let view = full;
  if (select && select.length > 0) {
    view = {};
    for (const name of select) {
      const known = PROPERTIES.find((p) => p.toLowerCase() === name.toLowerCase());
      if (!known) throw new GraphError(400, 'Request_BadRequest', `Could not find a property named '${name}' on type 'microsoft.graph.organization'.`);
      view[known] = full[known];
    }
  }
  return {
    status: 200,
    headers: { 'Content-Type': GRAPH_JSON, 'OData-Version': '4.0' },
    body: { '@odata.context': `${env.baseUrl}/v1.0/$metadata#organization${selectRaw ? `(${selectRaw})` : ''}`, value: [view] },
  };
}
