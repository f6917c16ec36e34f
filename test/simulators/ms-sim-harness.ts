import { demoTenant } from '../../simulators/demo-tenant.js';
import type { DemoSize, DemoTenant } from '../../simulators/demo-tenant.types.js';
import { startEntraSimulator, type EntraApp, type EntraSimulator } from '../../simulators/entra/entra.simulator.js';
import { startGraphSimulator, type GraphSimulator, type GraphSimulatorOptions } from '../../simulators/graph/graph.simulator.js';
import { simulatorFetch, type FetchDispatcher } from '../../simulators/tls.js';

/** The app registration the tests use: a confidential web client that also has a SPA redirect URI. */
export const TEST_APP: EntraApp = {
  clientId: '6b0f3c55-2d1e-4b8a-9f47-3c2a1e5d7b90',
  clientSecret: 'Zq8~sim.secret-value_For.Tests',
  redirectUris: ['https://localhost:8443/api/v1/tenant/consent-callback'],
  spaRedirectUris: ['https://localhost:5173/blank.html'],
  permissions: ['User.Read.All', 'MailboxSettings.Read', 'Mail.Send'],
  displayName: 'SuperOffice Mailbox Link',
};

export interface MicrosoftSims {
  tenant: DemoTenant;
  entra: EntraSimulator;
  graph: GraphSimulator;
  /** `fetch` that trusts the simulators' certificate (and nothing else changes). */
  fetch: typeof fetch;
  dispatcher: FetchDispatcher;
  tokenUrl: string;
  /** A client-credentials access token for TEST_APP in the demo tenant. */
  appToken(): Promise<string>;
  close(): Promise<void>;
}

export interface SimsOptions {
  size?: DemoSize;
  consentGranted?: boolean;
  graph?: Partial<Omit<GraphSimulatorOptions, 'tenant' | 'authority'>>;
}

export async function startMicrosoftSims(options: SimsOptions = {}): Promise<MicrosoftSims> {
  const tenant = demoTenant(options.size ?? 'demo');
  const entra = await startEntraSimulator({ tenant, apps: [TEST_APP], consentGranted: options.consentGranted ?? true });
  const graph = await startGraphSimulator({ tenant, authority: entra.control, ...options.graph });
  const trusted = await simulatorFetch();
  const tokenUrl = `${entra.url}/${tenant.entraTenantId}/oauth2/v2.0/token`;
  return {
    tenant,
    entra,
    graph,
    fetch: trusted.fetch,
    dispatcher: trusted.dispatcher,
    tokenUrl,
    async appToken() {
      const res = await trusted.fetch(tokenUrl, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: TEST_APP.clientId,
          client_secret: TEST_APP.clientSecret!,
          scope: 'https://graph.microsoft.com/.default',
        }),
      });
      if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { access_token: string }).access_token;
    },
    async close() {
      // Servers first: they drop every socket, so the agent has nothing left to wait for
      // (responses whose bodies a test never read would otherwise hold it open).
      await graph.close();
      await entra.close();
      await trusted.close();
    },
  };
}

/** Parses a redirect's Location: query and fragment parameters together. */
export function redirectParams(location: string | null): { url: URL; query: URLSearchParams; fragment: URLSearchParams } {
  if (!location) throw new Error('no Location header');
  const url = new URL(location);
  return { url, query: url.searchParams, fragment: new URLSearchParams(url.hash.replace(/^#/, '')) };
}

/** Reads a JSON response body with a loose type, for assertions. */
export async function jsonOf(res: Response): Promise<any> {
  return res.json();
}

/** A second organisation that has (like every customer) approved our multi-tenant app. */
export function otherOrganisation(): DemoTenant {
  const home = demoTenant('demo');
  return {
    ...home,
    contextId: 'Cust99999',
    companyName: 'Fabrikam',
    entraTenantId: '7d2c9f10-4b3a-4e8d-9c61-2f5a8b0e1d34',
    domain: 'fabrikam.example',
    associates: [],
    mailboxes: [
      {
        id: '0c9e7a55-3f21-4d6b-8e40-9a1b2c3d4e5f',
        displayName: 'Fiona Fabrikam',
        mail: 'fiona@fabrikam.example',
        userPrincipalName: 'fiona@fabrikam.example',
        proxyAddresses: ['SMTP:fiona@fabrikam.example'],
        accountEnabled: true,
        userType: 'Member',
        userPurpose: 'user',
      },
    ],
  };
}
