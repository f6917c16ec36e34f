import assert from 'node:assert/strict';
import { DEMO_CASES } from '../../../simulators/demo-tenant.js';
import type { DemoAssociate, DemoMailbox } from '../../../simulators/demo-tenant.types.js';
import { makeIntegrationHarness, type IntegrationHarness } from '../../helpers/integration.js';

/**
 * The demo tenant made healthy: consent recorded, and every unlinked match the report finds
 * linked (POST /api/v1/links), so the report starts at zero problems and each test adds one.
 */
export interface HealthRig {
  h: IntegrationHarness;
  admin: string;
  /** Links of the clean tenant, by associate id. */
  links: Map<number, { id: string; mailboxId: string; mailboxAddress: string; version: number }>;
}

export async function healthRig(): Promise<HealthRig> {
  const h = await makeIntegrationHarness({ consentGranted: true, graphThrottle: null, calendars: 'empty' });
  const admin = (await h.signIn(DEMO_CASES.adminAssociateIds[0]!)).message.token!;
  assert.equal((await h.consent(admin)).message.type, 'mailbox-link:consented');
  const first = await report(h, admin);
  const matches = first.problems.filter((p: any) => p.kind === 'unlinked_match');
  assert.equal(matches.length, first.problems.length, 'an unlinked demo tenant has only unlinked matches');
  const saved = await h.request('POST', '/api/v1/links', {
    token: admin,
    body: { links: matches.map((p: any) => ({ associateId: p.associateId, associateName: p.associateName, mailboxId: p.mailboxId, mailboxAddress: p.mailboxAddress })) },
  });
  assert.equal(saved.status, 201, saved.text);
  const links = new Map<number, any>(saved.body.created.map((l: any) => [l.associateId, l]));
  return { h, admin, links };
}

export async function report(h: IntegrationHarness, token: string): Promise<any> {
  const res = await h.request('GET', '/api/v1/health', { token });
  assert.equal(res.status, 200, res.text);
  return res.body;
}

/** The problems as `kind subject` strings, sorted, for exact comparisons. */
export function summary(body: { problems: any[] }): string[] {
  return body.problems.map((p) => `${p.kind} ${p.linkId ?? `a${p.associateId}`}`).sort();
}

export function associate(h: IntegrationHarness, id: number): DemoAssociate {
  return h.env.tenant.associates.find((a) => a.associateId === id)!;
}

export function mailbox(h: IntegrationHarness, id: string): DemoMailbox {
  return h.env.tenant.mailboxes.find((m) => m.id === id)!;
}

/** Changes `target` for the duration of `body`, then puts every changed field back. */
export async function withChanged<T extends object>(target: T, change: Partial<T>, body: () => Promise<void>): Promise<void> {
  const saved = Object.fromEntries(Object.keys(change).map((k) => [k, (target as any)[k]]));
  Object.assign(target, change);
  try {
    await body();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete (target as any)[k];
      else (target as any)[k] = v;
    }
  }
}
