import { testConfig, type Config } from '../../backend/config.js';
import type { Store } from '../../backend/db/store.js';
import { createFetch, type Fetch } from '../../backend/http/outbound.js';
import { createIntegration, type Integration } from '../../backend/integration.js';
import type { GraphRetryPolicy } from '../../backend/microsoft/graph.client.js';
import { startDemoEnvironment, type DemoEnvironment } from '../../backend/demo/demo-environment.js';
import { DEMO_CASES } from '../../simulators/demo-tenant.js';
import type { DemoSize } from '../../simulators/demo-tenant.types.js';
import { makeHarness, type Harness } from './harness.js';

type DemoEnvironmentOptions = Parameters<typeof startDemoEnvironment>[0];

export const PUBLIC_URL = 'http://localhost:3999';

export interface IntegrationHarness extends Harness {
  env: DemoEnvironment;
  /** The outside-service wiring the app was built with (SuperOffice OIDC, the sealing box…). */
  integration: Integration;
  /** A fetch that trusts the simulators' certificate, as a browser told to would. */
  browserFetch: Fetch;
  /** Runs the whole popup sign-in as `associateId` and returns what the popup posted to the panel. */
  signIn(associateId: number, tenantHint?: string): Promise<PopupResult>;
  /** Runs admin consent in a popup (Microsoft sign-in as `userId`, then the consent page); returns what the popup posted. */
  consent(token: string, decision?: 'accept' | 'cancel', userId?: string): Promise<PopupResult>;
  /**
   * Admin consent's first step: starts it, picks `userId` on the Microsoft sign-in page (the form
   * may be tampered with first) and returns where Microsoft sends the popup back (our sign-in callback).
   */
  microsoftSignInAnswer(token: string, userId?: string, tamper?: (form: URLSearchParams) => void): Promise<URL>;
  /** Both steps up to Microsoft's consent answer: the consent callback URL, not yet opened. */
  consentAnswer(token: string, decision?: 'accept' | 'cancel', userId?: string): Promise<URL>;
  closeAll(): Promise<void>;
}

export interface PopupResult {
  status: number;
  /** The `targetOrigin` the page posts to. */
  origin: string;
  message: { type: string; token?: string; isAdmin?: boolean; name?: string; code?: string; message?: string; tenant?: string };
}

const unescape = (s: string) =>
  s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Reads the popup result page the way its script does. */
export function popupResult(status: number, html: string): PopupResult {
  const origin = /data-origin="([^"]*)"/.exec(html)?.[1];
  const message = /data-message="([^"]*)"/.exec(html)?.[1];
  if (origin === undefined || message === undefined) throw new Error(`not a popup result page (${status}): ${html.slice(0, 300)}`);
  return { status, origin: unescape(origin), message: JSON.parse(unescape(message)) };
}

/** The backend wired to the SuperOffice, Entra ID and Graph simulators, over real HTTP. */
export async function makeIntegrationHarness(
  options: {
    size?: DemoSize;
    consentGranted?: boolean;
    retry?: GraphRetryPolicy;
    graphThrottle?: null;
    calendars?: DemoEnvironmentOptions['calendars'];
    superoffice?: DemoEnvironmentOptions['superoffice'];
    tokenLifetimeSeconds?: number;
    /** A migrated store to use (e.g. a SQLite file other processes share); default an in-memory one. */
    store?: Store;
    /** Settings over the simulators' (e.g. alertWebhookAllowPrivate for a local webhook receiver). */
    config?: Partial<Config>;
  } = {},
): Promise<IntegrationHarness> {
  const env = await startDemoEnvironment({
    publicUrl: PUBLIC_URL,
    size: options.size,
    consentGranted: options.consentGranted,
    graphThrottle: options.graphThrottle,
    calendars: options.calendars,
    superoffice: options.superoffice,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds,
  });
  const config = { ...env.config, publicUrl: PUBLIC_URL, ...options.config };
  const integration = createIntegration(testConfig(config), {
    extraCa: env.extraCa,
    retry: options.retry ?? { delaySeconds: 1, maxRetries: 3 },
  });
  const h = await makeHarness({ config, integration, realClock: true, store: options.store });
  const browserFetch = createFetch({ extraCa: env.extraCa });

  /** Follows the popup from our start URL through the provider's page back to our callback. */
  async function callback(location: string): Promise<PopupResult> {
    const url = new URL(location);
    if (url.origin !== PUBLIC_URL) throw new Error(`the provider redirected to ${url.origin}, not the panel's origin`);
    const res = await h.request('GET', url.pathname + url.search);
    return popupResult(res.status, res.text);
  }

  async function microsoftSignInAnswer(token: string, userId: string = DEMO_CASES.adminMailboxId, tamper: (form: URLSearchParams) => void = () => {}): Promise<URL> {
    const started = await h.request('POST', '/api/v1/microsoft/consent', { token, body: {} });
    if (started.status !== 200) throw new Error(`consent start answered ${started.status}: ${started.text}`);
    const authorize = new URL(started.body.url);
    const page = await browserFetch(authorize);
    if (page.status !== 200) throw new Error(`the Microsoft sign-in page answered ${page.status}: ${await page.text()}`);
    const form = new URLSearchParams(authorize.searchParams);
    form.set('user_id', userId);
    tamper(form);
    const chosen = await browserFetch(new URL(authorize.pathname, authorize), { method: 'POST', body: form, redirect: 'manual' });
    if (chosen.status !== 302) throw new Error(`the Microsoft sign-in form answered ${chosen.status}: ${await chosen.text()}`);
    return new URL(chosen.headers.get('location')!);
  }

  async function consentAnswer(token: string, decision: 'accept' | 'cancel' = 'accept', userId?: string): Promise<URL> {
    const signedIn = await microsoftSignInAnswer(token, userId);
    if (signedIn.origin !== PUBLIC_URL) throw new Error(`the sign-in redirected to ${signedIn.origin}, not the panel's origin`);
    const next = await h.request('GET', signedIn.pathname + signedIn.search);
    if (next.status !== 302) throw new Error(`the sign-in callback answered ${next.status}: ${/data-message="([^"]*)"/.exec(next.text)?.[1] ?? next.text.slice(0, 300)}`);
    const url = new URL(String(next.headers.location));
    const page = await browserFetch(url);
    if (page.status !== 200) throw new Error(`the consent page answered ${page.status}: ${await page.text()}`);
    const form = new URLSearchParams(url.searchParams);
    form.set('decision', decision);
    const answered = await browserFetch(new URL(url.pathname, url), { method: 'POST', body: form, redirect: 'manual' });
    if (answered.status !== 302) throw new Error(`the consent form answered ${answered.status}: ${await answered.text()}`);
    return new URL(answered.headers.get('location')!);
  }

  return {
    ...h,
    env,
    integration: integration!,
    browserFetch,
    async signIn(associateId, tenantHint = env.tenant.contextId) {
      const start = await h.request('GET', `/auth/superoffice/start?tenant=${encodeURIComponent(tenantHint)}`);
      if (start.status !== 302) throw new Error(`start answered ${start.status}: ${start.text}`);
      const authorize = new URL(String(start.headers.location));
      const page = await browserFetch(authorize);
      if (page.status !== 200) throw new Error(`the sign-in page answered ${page.status}: ${await page.text()}`);
      // The simulator's page posts the authorize parameters back with the chosen associate.
      const form = new URLSearchParams(authorize.searchParams);
      form.set('ctx', env.tenant.contextId);
      form.set('associate_id', String(associateId));
      const chosen = await browserFetch(new URL(authorize.pathname, authorize), { method: 'POST', body: form, redirect: 'manual' });
      if (chosen.status !== 302) throw new Error(`the sign-in form answered ${chosen.status}: ${await chosen.text()}`);
      return callback(chosen.headers.get('location')!);
    },
    microsoftSignInAnswer,
    consentAnswer,
    async consent(token, decision = 'accept', userId) {
      return callback((await consentAnswer(token, decision, userId)).toString());
    },
    async closeAll() {
      await h.close();
      await env.close();
    },
  };
}
