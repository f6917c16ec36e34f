import { after, before, beforeEach } from 'node:test';
import type { Agent } from 'undici';
import { GraphAppTokens, type MicrosoftSettings } from '../../../../backend/microsoft/app-token.js';
import { Graph } from '../../../../backend/microsoft/graph.client.js';
import { DEFAULT_LIMITS, MailboxLimiter, type LimiterOptions } from '../../../../backend/sync/mailbox-limiter.js';
import { OutlookCalendar } from '../../../../backend/sync/diary/outlook-calendar.js';
import type { GraphEventWrite } from '../../../../backend/sync/diary/ports.js';
import { jsonOf, startMicrosoftSims, TEST_APP, type MicrosoftSims } from '../../../simulators/ms-sim-harness.js';

export interface OutlookSims {
  sims: MicrosoftSims;
  /** A member mailbox of the demo tenant. */
  user: string;
  calendar(limits?: Partial<LimiterOptions>): { outlook: OutlookCalendar; limiter: MailboxLimiter };
  /** `/__sim` control calls. */
  control(method: string, path: string, body?: unknown): Promise<any>;
  stored(): Promise<any[]>;
  /** A raw Graph call as a user or another app would make it. */
  raw(method: string, path: string, body?: unknown): Promise<any>;
  close(): Promise<void>;
}

/** The Entra ID and Graph simulators, with calendar consent, and our client on one mailbox. */
export async function startOutlookSims(): Promise<OutlookSims> {
  const sims = await startMicrosoftSims();
  sims.entra.control.grantConsent(sims.tenant.entraTenantId, TEST_APP.clientId, [...TEST_APP.permissions, 'Calendars.ReadWrite']);
  const user = sims.tenant.mailboxes.find((m) => m.userType === 'Member' && m.userPurpose === 'user')!.id;
  const settings: MicrosoftSettings = { authorityUrl: sims.entra.url, graphUrl: sims.graph.url, clientId: TEST_APP.clientId, clientSecret: TEST_APP.clientSecret };
  const tokens = new GraphAppTokens(settings, sims.fetch);
  const graph = new Graph(settings, tokens, sims.tenant.entraTenantId, { dispatcher: sims.dispatcher as unknown as Agent });
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await sims.fetch(`${sims.graph.url}/__sim${path}`, {
      method,
      headers: body !== undefined ? { 'content-type': 'application/json' } : {},
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return res.status === 204 ? null : jsonOf(res);
  };
  return {
    sims,
    user,
    calendar(limits = {}) {
      const limiter = new MailboxLimiter({ ...DEFAULT_LIMITS, ...limits });
      return { outlook: new OutlookCalendar(graph, user, limiter), limiter };
    },
    control,
    stored: async () => (await control('GET', `/calendar/users/${user}/events`)).value,
    async raw(method, path, body) {
      const res = await sims.fetch(`${sims.graph.url}/v1.0${path}`, {
        method,
        headers: { authorization: `Bearer ${await sims.appToken()}`, prefer: 'IdType="ImmutableId"', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return res.status === 204 ? null : jsonOf(res);
    },
    close: () => sims.close(),
  };
}

/** An event as the pass writes it: timed, UTC. */
export function eventWrite(subject: string, start: string, end: string): GraphEventWrite {
  return {
    subject,
    body: { contentType: 'text', content: `About ${subject}` },
    start: { dateTime: start, timeZone: 'UTC' },
    end: { dateTime: end, timeZone: 'UTC' },
    isAllDay: false,
    location: { displayName: 'Room 1' },
    showAs: 'busy',
    sensitivity: 'normal',
  };
}

/** The simulators for a describe block: started before it, reset before each test, closed after. */
export function outlookSimsPerSuite(): () => OutlookSims {
  let o: OutlookSims | undefined;
  before(async () => {
    o = await startOutlookSims();
  });
  after(() => o?.close());
  beforeEach(() => o!.sims.graph.control.reset());
  return () => o!;
}
