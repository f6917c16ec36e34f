import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { appendAudit, type Actor } from '../audit/audit.repository.js';
import type { InviteRow, TenantRow } from '../db/database.js';
import type { Store, Tx } from '../db/store.js';
import { ApiError } from '../http/errors.js';
import { ACCEPT_PATH } from '../http/paths.js';
import { sendBatched } from '../microsoft/batch.js';
import type { Graph } from '../microsoft/graph.client.js';
import { requireTenant, saveInviteDefaults } from '../tenants/tenant.repository.js';
import { inviteDefaults } from '../tenants/tenant.service.js';
import type { Associate } from '../superoffice/associate.schemas.js';
import type { Invite, InviteRequest, InviteResult } from './invite.schemas.js';
import { composeInvite, readableDate, sendMailBody } from './invite-mail.js';
import {
  findInvitesByIds,
  insertInvites,
  latestInvites,
  listInviteRows,
  newInviteToken,
  openInvitesOf,
  recordSendResults,
  revokeInviteRows,
  toInvite,
} from './invite.repository.js';

export interface InviteContext {
  store: Store;
  actor: Actor;
  publicUrl: string;
  now: Date;
  /** The tenant's associates as SuperOffice has them (emails from the contact cards). */
  associates: () => Promise<Associate[]>;
  /** Graph for the tenant; email delivery only. */
  graph: (tenant: TenantRow) => Promise<Graph>;
  log?: Logger;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const inviteUrl = (publicUrl: string, token: string): string => `${publicUrl}${ACCEPT_PATH}#invite=${token}`;

/** Where invites are sent from: the sender's mailbox by object id, and its primary address. */
interface Sender {
  id: string;
  address: string;
}

/**
 * The sender's mailbox (checked once per request, before anything is written). Graph's
 * `/users/{id | userPrincipalName}` takes no other address (user-sendMail, get-user docs), so an
 * alias or a `mail` that is not the UPN is looked up by `mail`, UPN or `smtp:` proxy address.
 */
export async function resolveSender(graph: Graph, address: string): Promise<Sender> {
  const quoted = address.replace(/'/g, "''");
  const filter = `mail eq '${quoted}' or userPrincipalName eq '${quoted}' or proxyAddresses/any(p:p eq 'smtp:${quoted}')`;
  const found = await graph.get<{ value: { id: string; mail?: string | null; userPrincipalName: string }[] }>(
    `/users?$filter=${encodeURIComponent(filter)}&$select=id,mail,userPrincipalName`,
  );
  const [user, ...more] = found.value;
  if (!user) throw senderNotFound(address);
  if (more.length > 0) {
    throw new ApiError(400, 'InviteSenderAmbiguous', `${address} belongs to more than one user in your Microsoft 365 organisation. Choose another sender.`, [
      { path: 'body.senderAddress', message: 'Several users have this address.' },
    ]);
  }
  // The primary address: sending "from" an alias works only where the organisation allows it.
  return { id: user.id, address: user.mail ?? user.userPrincipalName };
}

const senderNotFound = (address: string) =>
  new ApiError(400, 'InviteSenderNotFound', `${address} is not a mailbox in your Microsoft 365 organisation. Choose another sender.`, [
    { path: 'body.senderAddress', message: 'No such mailbox.' },
  ]);

/**
 * Creates invites for the given associates and, for `email` delivery, sends each one an email
 * through Graph `sendMail` (20 per `$batch`, throttled items retried). The invites are written
 * first (one transaction, with their audit rows and replacing the associates' open invites), so
 * a link that went out always exists; the send results are recorded after (sent, or failed with
 * Microsoft's reason). Associates without an email, retired or unknown are reported, not invited.
 */
/** Manage Invites' list: the newest invite of each invited associate. */
export function listInvites(tx: Tx, tenantId: string, now: Date): Promise<Invite[]> {
  return latestInvites(tx, tenantId, now);
}

export async function createInvites(c: InviteContext, req: InviteRequest): Promise<InviteResult> {
  const { actor, now } = c;
  const tenant = await requireTenant(c.store, actor.tenantId);
  if (!tenant.entra_tenant_id) {
    throw new ApiError(409, 'MicrosoftNotConnected', 'Approve the app in Microsoft 365 first (a Microsoft 365 administrator must consent).');
  }
  const defaults = inviteDefaults(tenant);
  const email = req.delivery === 'email';
  const template = {
    senderAddress: req.senderAddress ?? defaults.senderAddress,
    senderName: req.senderName ?? defaults.senderName,
    subject: req.subject ?? defaults.subject,
    message: req.message ?? defaults.message,
    allowOtherMailbox: req.allowOtherMailbox ?? defaults.allowOtherMailbox,
  };
  if (email && !template.senderAddress) {
    throw new ApiError(400, 'InviteSenderRequired', 'Choose the mailbox the invites are sent from.', [
      { path: 'body.senderAddress', message: 'Required for email invites.' },
    ]);
  }
  const graph = email ? await c.graph(tenant) : null;
  const sender = graph ? await resolveSender(graph, template.senderAddress!) : null;

  const known = new Map((await c.associates()).map((a) => [a.associateId, a]));
  const skipped: InviteResult['skipped'] = [];
  const targets: Associate[] = [];
  for (const id of new Set(req.associateIds)) {
    const a = known.get(id);
    if (!a) skipped.push({ associateId: id, associateName: `Associate ${id}`, reason: 'UnknownAssociate' });
    else if (!a.active) skipped.push({ associateId: id, associateName: a.name, reason: 'Retired' });
    else if (!a.email) skipped.push({ associateId: id, associateName: a.name, reason: 'NoEmail' });
    else targets.push(a);
  }

  const expires = new Date(now.getTime() + tenant.invite_ttl_days * DAY_MS);
  const created = targets.map((a) => ({ associate: a, id: randomUUID(), ...newInviteToken() }));
  const rows: InviteRow[] = created.map((x) => ({
    id: x.id,
    tenant_id: actor.tenantId,
    associate_id: x.associate.associateId,
    associate_name: x.associate.name,
    email: x.associate.email!,
    token_hash: x.hash,
    created_by: actor.associateId,
    created_by_name: actor.associateName,
    created_at: c.store.dialect.time(now),
    expires_at: c.store.dialect.time(expires),
    sent_at: null,
    accepted_at: null,
    accepted_mailbox_id: null,
    revoked_at: null,
    delivery: req.delivery,
    allow_other_mailbox: c.store.dialect.bool(template.allowOtherMailbox),
    send_error: null,
    accept_nonce: null,
        accept_verifier_sealed: null,
        accept_state_hash: null,
    link_on_accept: c.store.dialect.bool(req.linkOnAccept ?? false),
    accept_outcome: null,
    accept_outcome_detail: null,
  }));
  await c.store.transaction(async (tx) => {
    const replaced = await openInvitesOf(tx, actor.tenantId, targets.map((a) => a.associateId));
    await revokeInviteRows(tx, actor.tenantId, replaced.map((r) => r.id), now);
    await insertInvites(tx, rows);
    if (email) {
      // The text an administrator wrote is remembered for the next invites (not versioned: defaults).
      await saveInviteDefaults(tx, actor.tenantId, template);
    }
    await appendAudit(
      tx,
      actor,
      [
        ...replaced.map((r) => ({
          action: 'invite.replaced',
          entityType: 'invite',
          entityId: r.id,
          before: { associateId: r.associate_id, email: r.email },
          after: null,
        })),
        ...created.map((x) => ({
          action: 'invite.created',
          entityType: 'invite',
          entityId: x.id,
          before: null,
          after: {
            associateId: x.associate.associateId,
            email: x.associate.email,
            delivery: req.delivery,
            expiresAt: expires.toISOString(),
            allowOtherMailbox: template.allowOtherMailbox,
            linkOnAccept: req.linkOnAccept ?? false,
          },
        })),
      ],
      now,
    );
  });

  const failed: InviteResult['failed'] = [];
  if (graph && sender && created.length > 0) {
    const organisation = tenant.name ?? tenant.id;
    const { outcomes } = await sendBatched(
      graph,
      created.map((x) => ({
        method: 'POST' as const,
        url: `/users/${encodeURIComponent(sender.id)}/sendMail`,
        body: sendMailBody(
          { address: sender.address, name: template.senderName },
          { address: x.associate.email!, name: x.associate.name },
          composeInvite(template, {
            name: x.associate.name,
            link: inviteUrl(c.publicUrl, x.token),
            expires: readableDate(expires),
            organisation,
          }),
        ),
      })),
      { envelopeError: 'record' },
    );
    const sent: string[] = [];
    const errors = new Map<string, string>();
    outcomes.forEach((o, i) => {
      const x = created[i]!;
      if (o.status >= 200 && o.status < 300) {
        sent.push(x.id);
        return;
      }
      const code = o.body?.error?.code ?? (o.status === 0 ? 'NoAnswer' : `Http${o.status}`);
      const message = sendFailure(o.status, code);
      errors.set(x.id, `${code}: ${message}`.slice(0, 400));
      failed.push({ associateId: x.associate.associateId, associateName: x.associate.name, email: x.associate.email!, code, message });
    });
    // The emails are out and their invites exist: a failure to record how sending went must not
    // make the admin think nothing happened (a retry would replace links already emailed). The
    // invites stay as written, open ("invited", not marked sent); the log says why.
    try {
      await c.store.transaction(async (tx) => {
        await recordSendResults(tx, actor.tenantId, sent, errors, now);
        if (errors.size > 0) {
          await appendAudit(
            tx,
            actor,
            [...errors].map(([id, error]) => ({ action: 'invite.send_failed', entityType: 'invite', entityId: id, before: null, after: { error } })),
            now,
          );
        }
      });
    } catch (err) {
      c.log?.error({ err, invites: created.length }, 'invites sent, but recording the send results failed');
    }
  }

  let invites: Invite[];
  try {
    invites = (await listInviteRows(c.store, actor.tenantId, created.map((x) => x.id))).map((r) => toInvite(r, now));
  } catch (err) {
    // Written (and perhaps emailed) already: answer from what is known rather than with a 500.
    c.log?.error({ err }, 'invites created, but reading them back failed');
    invites = rows.map((r) => toInvite({ ...r, accepted_address: null, auth_revoked_at: null, auth_addresses_json: null, auth_account: null, linked_mailbox_id: null }, now));
  }
  return {
    invites,
    links: req.delivery === 'link' ? created.map((x) => ({ associateId: x.associate.associateId, url: inviteUrl(c.publicUrl, x.token) })) : [],
    skipped,
    failed,
  };
}

export function sendFailure(status: number, code: string): string {
  if (status === 429 || status === 503 || status === 504) return 'Microsoft 365 was busy and did not send it. Send it again in a minute.';
  if (status === 403) return 'Microsoft 365 refused to send from that mailbox (the app needs the Mail.Send permission, approved by an administrator).';
  if (status === 404) return 'Microsoft 365 did not find the sender mailbox.';
  if (status === 400) return `Microsoft 365 refused the message (${code}).`;
  return `Microsoft 365 did not send it (${code}).`;
}

/** Revokes open invites; their links stop working. Accepted invites are revoked through their authorization. */
export async function revokeInvites(store: Store, actor: Actor, ids: string[], now: Date): Promise<Invite[]> {
  return store.transaction(async (tx) => {
    const rows = await findInvitesByIds(tx, actor.tenantId, ids);
    const found = new Set(rows.map((r) => r.id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw new ApiError(404, 'InviteNotFound', 'Some invites do not exist (any more). Nothing was revoked.', missing.map((id) => ({ message: 'No such invite.', inviteId: id })));
    }
    const accepted = rows.filter((r) => r.accepted_at !== null);
    if (accepted.length > 0) {
      throw new ApiError(
        409,
        'InviteAlreadyAccepted',
        'Some invites were already accepted. Revoke their authorization instead. Nothing was revoked.',
        accepted.map((r) => ({ message: `${r.associate_name} already accepted.`, inviteId: r.id })),
      );
    }
    const open = rows.filter((r) => r.revoked_at === null);
    await revokeInviteRows(tx, actor.tenantId, open.map((r) => r.id), now);
    await appendAudit(
      tx,
      actor,
      open.map((r) => ({ action: 'invite.revoked', entityType: 'invite', entityId: r.id, before: { associateId: r.associate_id, email: r.email }, after: null })),
      now,
    );
    return (await listInviteRows(tx, actor.tenantId, ids)).map((r) => toInvite(r, now));
  });
}

