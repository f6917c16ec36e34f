import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { ACCEPT_CALLBACK, CONSENT_CALLBACK, MICROSOFT_SIGNIN_CALLBACK, SUPEROFFICE_CALLBACK } from '../http/paths.js';
import { DEMO_CASES, demoTenant } from '../../simulators/demo-tenant.js';
import type { DemoSize, DemoTenant } from '../../simulators/demo-tenant.types.js';
import { startEntraSimulator, type EntraSimulator } from '../../simulators/entra/entra.simulator.js';
import { startGraphSimulator, type GraphSimulator } from '../../simulators/graph/graph.simulator.js';
import { startSuperOfficeSimulator, type SuperOfficeSimulator, type SuperOfficeSimulatorOptions } from '../../simulators/superoffice/superoffice.simulator.js';
import { simulatorTls } from '../../simulators/tls.js';

/** The demo app registrations. These credentials exist only inside the local simulators. */
export const DEMO_SUPEROFFICE_APP = { clientId: 'demo-mailbox-link', clientSecret: 'demo-superoffice-app-token' };
export const DEMO_ENTRA_APP = {
  clientId: '3f6b1a2c-9d4e-4f70-8a15-6c2e9b7d0f41',
  clientSecret: 'demo~entra.client-secret',
  permissions: ['User.Read.All', 'MailboxSettings.Read', 'Mail.Send', 'Calendars.ReadWrite', 'Tasks.ReadWrite.All', 'Contacts.ReadWrite', 'Organization.Read.All'],
  /**
   * What the invitee's (and the approving administrator's) sign-in asks for: who they are, and
   * (OAuth mode) their own calendar, To Do and contacts with a refresh token for the worker.
   */
  delegatedPermissions: ['openid', 'profile', 'email', 'offline_access', 'Calendars.ReadWrite', 'Tasks.ReadWrite', 'Contacts.ReadWrite'],
};

export interface DemoEnvironment {
  tenant: DemoTenant;
  superoffice: SuperOfficeSimulator;
  entra: EntraSimulator;
  graph: GraphSimulator;
  /** Settings that point the backend at the simulators. */
  config: Pick<Config, 'superoffice' | 'superofficeOnsite' | 'microsoft' | 'tokenEncryptionKey'>;
  /** The simulators' certificate, to trust for outbound HTTPS. */
  extraCa: string;
  close(): Promise<void>;
}

/**
 * SuperOffice, Entra ID and Microsoft Graph simulators serving one demo tenant, with the app
 * registered in each (redirect URIs on `publicUrl`). What `npm start` runs when no real tenant is
 * configured, and what the integration tests and benchmarks use.
 */
export async function startDemoEnvironment(options: {
  publicUrl: string;
  size?: DemoSize;
  tokenEncryptionKey?: string;
  /** Grant Microsoft 365 admin consent up front (tests); the demo leaves it to the admin. */
  consentGranted?: boolean;
  graphThrottle?: null;
  /** `empty`: no seeded appointments or events, for tests that count every item (default `demo`). */
  calendars?: 'demo' | 'empty';
  /** How the SuperOffice simulator pages archives and names the tenant (tests of the undocumented cases). */
  superoffice?: Pick<SuperOfficeSimulatorOptions, 'odataMaxPageSize' | 'odataNextLinkWithTop' | 'databaseContextIdentifier'>;
  /** `expires_in` of Entra's access tokens (default Entra's usual 3599 s). */
  tokenLifetimeSeconds?: number;
}): Promise<DemoEnvironment> {
  const seeded = demoTenant(options.size ?? 'demo');
  const tenant = options.calendars === 'empty' ? { ...seeded, appointments: [] } : seeded;
  const superoffice = await startSuperOfficeSimulator({
    ...options.superoffice,
    tenant,
    clients: [{ ...DEMO_SUPEROFFICE_APP, redirectUris: [options.publicUrl + SUPEROFFICE_CALLBACK], appName: 'Mailbox Link (demo)' }],
  });
  const entra = await startEntraSimulator({
    tenant,
    apps: [
      {
        ...DEMO_ENTRA_APP,
        redirectUris: [options.publicUrl + MICROSOFT_SIGNIN_CALLBACK, options.publicUrl + CONSENT_CALLBACK, options.publicUrl + ACCEPT_CALLBACK],
        // No single-page-application redirect URI: the accept page signs in through ACCEPT_CALLBACK.
        displayName: 'SuperOffice Mailbox Link (demo)',
      },
    ],
    consentGranted: options.consentGranted ?? false,
    // Like the many organisations where users may not consent to apps: only the app
    // registration's permissions, approved by an administrator, let invitees sign in.
    userConsent: false,
    directoryAdmins: [DEMO_CASES.adminMailboxId],
    ...(options.tokenLifetimeSeconds ? { tokenLifetimeSeconds: options.tokenLifetimeSeconds } : {}),
  });
  const graph = await startGraphSimulator({
    tenant,
    authority: entra.control,
    calendarSeed: options.calendars === 'empty' ? 'none' : 'demo',
    ...(options.graphThrottle === null ? { throttle: null } : {}),
  });
  return {
    tenant,
    superoffice,
    entra,
    graph,
    extraCa: (await simulatorTls()).cert,
    config: {
      superoffice: { url: superoffice.url, clientId: DEMO_SUPEROFFICE_APP.clientId, clientSecret: DEMO_SUPEROFFICE_APP.clientSecret },
      // The simulator also accepts tickets, as an Onsite installation would.
      superofficeOnsite: { webApiUrl: superoffice.webApiUrl(tenant.contextId), appToken: DEMO_SUPEROFFICE_APP.clientSecret },
      microsoft: {
        authorityUrl: entra.url,
        graphUrl: graph.url,
        clientId: DEMO_ENTRA_APP.clientId,
        clientSecret: DEMO_ENTRA_APP.clientSecret,
      },
      tokenEncryptionKey: options.tokenEncryptionKey ?? randomBytes(32).toString('base64'),
    },
    async close() {
      await graph.close();
      await entra.close();
      await superoffice.close();
    },
  };
}
