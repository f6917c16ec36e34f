import { z } from 'zod';
import { appendAudit, type Actor } from '../audit/audit.repository.js';
import { authorizationLookup } from '../authorizations/authorization.repository.js';
import type { TenantRow } from '../db/database.js';
import type { Store } from '../db/store.js';
import { DomainError } from '../domain-error.js';
import { ApiError, MAX_DETAILS } from '../http/errors.js';
import type { AppDeps } from '../http/types.js';
import { findLinksByIds, findLinksByMailboxes } from '../links/link.repository.js';
import { requireAllLinks, toLink } from '../links/link.service.js';
import type { Link } from '../links/link.schemas.js';
import { graphOf, type Graph } from '../microsoft/graph.client.js';
import { listAssociates, type Associate } from '../superoffice/associates.js';
import { SuperOfficeWebApi, webApiDeps } from '../superoffice/webapi.client.js';
import { requireTenant } from '../tenants/tenant.repository.js';
import { kindsOf, readDirectory, usersByPrimary } from './health.graph.js';
import { findProblems, suspects } from './health.problems.js';
import {
  deleteIgnores,
  findIgnored,
  grantsOfTenant,
  ignoredKeys,
  insertIgnores,
  lastSignedInAdmin,
  linksWithSyncState,
  repointLink,
} from './health.repository.js';
import type { HealthReport } from './health.schemas.js';
import type { HealthReading, HealthSource } from './health.types.js';

/** Where the report reads the outside services from: the caller's (the panel) or a stored admin's (the digest). */
export interface HealthClients {
  /** Made on first use: a request refused before reading SuperOffice needs no SuperOffice. */
  superoffice(): SuperOfficeWebApi;
  /** Graph for the tenant, made only when it is read (application mode). */
  graph(tenant: TenantRow): Promise<Graph>;
}

/**
 * Computes a tenant's problems (and keeps the associates it read) with the request economy of one load of each side: the
 * associates as the associates list reads them (pages of 1,000 and the user groups), the users
 * as Load External Users pages them (999 a page, `assignedPlans` on the same pages), and the
 * mailbox check, 20 per `$batch`, only for the linked users the list leaves in doubt (disabled
 * or unlicensed: a person, or a shared or room mailbox?). OAuth mode reads no Graph, as Load
 * External Users does not: its mailboxes are the authorizations in our database.
 */
export async function readHealth(store: Store, tenantId: string, clients: HealthClients, now: Date, signal?: AbortSignal): Promise<HealthReading> {
  const tenant = await requireTenant(store, tenantId);
  const links = await linksWithSyncState(store, tenantId);
  const grants = tenant.mode === 'oauth' ? await grantsOfTenant(store, tenantId) : [];
  const associates = await listAssociates(clients.superoffice(), undefined, signal);
  let directory = null;
  let kinds = new Map();
  if (tenant.mode === 'application') {
    const graph = await clients.graph(tenant);
    directory = await readDirectory(graph, signal);
    kinds = await kindsOf(graph, suspects(links, directory));
  }
  return {
    problems: findProblems({ mode: tenant.mode, associates, directory, kinds, links, grants, now }),
    associates: new Map(associates.map((a) => [a.associateId, { active: a.active, email: a.email }])),
  };
}

/** GET /api/v1/health: the problems, without those the tenant ignores (counted instead). */
export async function healthReport(store: Store, tenantId: string, clients: HealthClients, now: Date): Promise<HealthReport> {
  const all = (await readHealth(store, tenantId, clients, now)).problems;
  const ignored = await ignoredKeys(store, tenantId);
  const problems = all.filter((p) => !ignored.has(p.key));
  return { problems, computedAt: now.toISOString(), ignored: all.length - problems.length };
}

/**
 * The report's computation for callers with no request (the daily digest, backend/alerts/): it
 * reads SuperOffice as the tenant's administrator who signed in last (their stored, refreshable
 * credential) and Graph with the app's token. A tenant no administrator has signed in to cannot
 * be read: SuperOfficeSignInRequired.
 */
export function healthSourceOf(deps: Pick<AppDeps, 'store' | 'clock' | 'integration'>): HealthSource {
  return async (tenantId, signal) => {
    const row = await lastSignedInAdmin(deps.store, tenantId);
    if (!row) throw new DomainError('unauthenticated', 'SuperOfficeSignInRequired', 'No SuperOffice administrator of this tenant has signed in, so the health report cannot read SuperOffice.');
    const integration = deps.integration ?? null;
    const superoffice = new SuperOfficeWebApi(webApiDeps({ store: deps.store, now: deps.clock, integration }), tenantId, row.associate_id);
    return readHealth(deps.store, tenantId, { superoffice: () => superoffice, graph: (tenant) => graphFor(integration, tenant) }, deps.clock(), signal);
  };
}

function graphFor(integration: AppDeps['integration'], tenant: TenantRow): Promise<Graph> {
  if (!integration?.microsoft) throw new DomainError('unavailable', 'MicrosoftNotConfigured', 'Microsoft 365 is not configured on this server.');
  if (!tenant.entra_tenant_id) throw new DomainError('conflict', 'MicrosoftNotConnected', 'Approve the app in Microsoft 365 first (a Microsoft 365 administrator must consent).');
  return Promise.resolve(graphOf(integration as Parameters<typeof graphOf>[0], tenant.entra_tenant_id));
}

const LINK_KEY = /^[a-z_]+:([0-9a-f-]{36})$/;

/**
 * Ignore: the problems' keys are remembered for the tenant and the report leaves them out. A key
 * about a link must name a link of the caller's tenant (else 404, nothing changed); keys already
 * ignored are left as they are. Answers how many were newly ignored.
 */
export async function ignoreProblems(store: Store, actor: Actor, keys: string[], now: Date): Promise<{ ignored: number }> {
  return store.transaction(async (tx) => {
    const linkIds = [...new Set(keys.map((k) => LINK_KEY.exec(k)?.[1]).filter((id): id is string => id !== undefined))];
    if (linkIds.length > 0) requireAllLinks(linkIds, new Map((await findLinksByIds(tx, actor.tenantId, linkIds)).map((r) => [r.id, r])));
    const already = await findIgnored(tx, actor.tenantId, keys);
    const fresh = keys.filter((k) => !already.has(k));
    await insertIgnores(tx, actor.tenantId, fresh, actor, now);
    await appendAudit(
      tx,
      actor,
      fresh.map((k) => ({ action: 'health.ignored', entityType: 'health_problem', entityId: k, before: null, after: { key: k } })),
      now,
    );
    return { ignored: fresh.length };
  });
}

/** Stop ignoring: every key must be ignored by the caller's tenant (else 404, nothing changed). */
export async function unignoreProblems(store: Store, actor: Actor, keys: string[], now: Date): Promise<{ unignored: number }> {
  return store.transaction(async (tx) => {
    const found = await findIgnored(tx, actor.tenantId, keys);
    const missing = keys.filter((k) => !found.has(k));
    if (missing.length > 0) {
      throw new ApiError(
        404,
        'HealthIgnoreNotFound',
        `${missing.length} of these problems are not ignored. Refresh the report. Nothing was changed.`,
        missing.slice(0, MAX_DETAILS).map((k) => ({ code: 'HealthIgnoreNotFound', message: 'not ignored', key: k })),
      );
    }
    const deleted = await deleteIgnores(tx, actor.tenantId, keys);
    if (deleted !== keys.length) throw new ApiError(404, 'HealthIgnoreNotFound', 'Someone changed these meanwhile. Refresh the report. Nothing was changed.');
    await appendAudit(
      tx,
      actor,
      keys.map((k) => ({ action: 'health.unignored', entityType: 'health_problem', entityId: k, before: { key: k }, after: null })),
      now,
    );
    return { unignored: keys.length };
  });
}

const OneAssociate = z.object({
  value: z.array(z.object({ associateDbId: z.union([z.number(), z.string()]).nullish(), isActive: z.union([z.boolean(), z.string()]).nullish(), personEmail: z.string().nullish() })),
});

/** The associate's active flag and card email, one `InternalUsers` request restricted to them. */
async function readAssociate(api: SuperOfficeWebApi, associateId: number): Promise<Pick<Associate, 'active' | 'email'> | null> {
  const query = new URLSearchParams({
    $select: 'associateDbId,isActive,personEmail',
    $filter: `associateDbId eq ${associateId}`,
    $entities: 'all',
    $top: '1',
    $output: 'Logical',
  });
  const row = (await api.get(`Archive/InternalUsers?${query}`, OneAssociate)).value[0];
  if (!row) return null;
  const active = row.isActive === undefined || row.isActive === null ? true : row.isActive === true || String(row.isActive).toLowerCase() === 'true';
  return { active, email: row.personEmail?.trim() || null };
}

const cannot = (message: string) => new ApiError(409, 'RepointNotPossible', `${message} Nothing was changed.`);

/**
 * Update the link (an email mismatch's fix): the link is repointed to the mailbox whose primary
 * address is the associate's contact-card email, read now from SuperOffice and Microsoft 365
 * (never from the browser), when that is one enabled, licensed user mailbox no one is linked
 * to. Options and rank stay; one transaction, audited `link.repointed`.
 */
export async function repointToCardEmail(
  store: Store,
  actor: Actor,
  clients: HealthClients,
  input: { linkId: string; expectedVersion?: number | undefined },
  now: Date,
): Promise<{ link: Link }> {
  const [link] = await findLinksByIds(store, actor.tenantId, [input.linkId]);
  if (!link) requireAllLinks([input.linkId], new Map());
  const current = link!;
  if (input.expectedVersion !== undefined && current.version !== input.expectedVersion) throw new ApiError(409, 'VersionConflict', 'Someone else changed this user since you loaded the report. Refresh it; nothing was saved.');
  const tenant = await requireTenant(store, actor.tenantId);
  if (tenant.mode !== 'application') throw cannot('In OAuth mode a link follows the mailbox its owner authorized: invite the user again instead.');
  const associate = await readAssociate(clients.superoffice(), current.associate_id);
  if (!associate?.active || !associate.email) throw cannot('The associate is retired or has no email on the contact card.');
  const graph = await clients.graph(tenant);
  const found = (await usersByPrimary(graph, associate.email)).filter((m) => !m.guest && m.accountEnabled && m.exchangeLicensed);
  if (found.length !== 1) throw cannot(`No single enabled, licensed user mailbox has ${associate.email} as its primary address.`);
  const target = found[0]!;
  if (target.id === current.mailbox_id) throw cannot('The link already points at that mailbox.');
  const kind = (await kindsOf(graph, [target.id])).get(target.id);
  if (kind !== 'user') throw cannot(`${target.primaryAddress} is not a user mailbox.`);

  return store.transaction(async (tx) => {
    const taken = await findLinksByMailboxes(tx, actor.tenantId, [target.id]);
    if (taken.length > 0) {
      throw new ApiError(409, 'AlreadyLinked', `${target.primaryAddress} is already linked to ${taken[0]!.associate_name}. Nothing was changed.`);
    }
    const changed = await repointLink(tx, actor.tenantId, current, { mailboxId: target.id, mailboxAddress: target.primaryAddress! }, actor.associateId, now);
    if (!changed) throw new ApiError(409, 'VersionConflict', 'Someone else changed this user meanwhile. Refresh the report; nothing was saved.');
    const [after] = await findLinksByIds(tx, actor.tenantId, [current.id]);
    await appendAudit(
      tx,
      actor,
      [
        {
          action: 'link.repointed',
          entityType: 'link',
          entityId: current.id,
          before: { associateId: current.associate_id, mailboxId: current.mailbox_id, mailboxAddress: current.mailbox_address, version: current.version },
          after: { associateId: current.associate_id, mailboxId: target.id, mailboxAddress: target.primaryAddress, version: after!.version },
        },
      ],
      now,
    );
    const authorization = await authorizationLookup(tx, actor.tenantId, [target.id]);
    return { link: toLink(after!, authorization(target.id)) };
  });
}

