import { requireDirectoryRead, requireMailboxSettingsRead, requireMailSend, type Principal } from './auth.js';
import { directoryOf, GRAPH_JSON, hasMailbox, type GraphEnv } from './graph-env.js';
import { graphErrors } from './graph-errors.js';
import type { GraphCall, GraphResult } from './graph.types.js';
import { encodeSkipToken, isEventual, nextLink, parseSelect, parseUsersQuery } from './users-query.js';
import { BASIC_PROPERTIES, graphUser, projectUser } from './user-view.js';
import type { DemoMailbox } from '../demo-tenant.types.js';

const json = (body: unknown, status = 200, extra: Record<string, string> = {}): GraphResult => ({
  status,
  headers: { 'Content-Type': GRAPH_JSON, 'OData-Version': '4.0', ...extra },
  body,
});

/** Identity resource units a `GET users` costs: 2, −1 with `$select`, −1 with `$top` < 20, at least 1. */
function resourceUnits(call: GraphCall): number {
  const top = Number(call.query.get('$top') ?? '100');
  return Math.max(1, 2 - (call.query.has('$select') ? 1 : 0) - (top < 20 ? 1 : 0));
}

/** The users a query selects, in order, before paging. */
function matchingUsers(env: GraphEnv, principal: Principal, call: GraphCall) {
  const dir = directoryOf(env, principal);
  const q = parseUsersQuery(call, dir.tenant.entraTenantId);
  const all = dir.tenant.mailboxes;
  const list =
    q.filter || q.search || q.orderBy
      ? dir.cachedResult(q.fingerprint, () => {
          let users = all.map((m) => ({ m, view: graphUser(m, dir.tenant) }));
          if (q.filter) users = users.filter((u) => q.filter!(u.view));
          if (q.search) users = users.filter((u) => q.search!(u.view));
          if (q.orderBy) {
            const { property, descending } = q.orderBy;
            users.sort((a, b) => String(a.view[property]).localeCompare(String(b.view[property])) * (descending ? -1 : 1));
          }
          return users.map((u) => u.m);
        })
      : all;
  return { dir, q, list };
}

/** `GET /users`: `@odata.context`, `@odata.count` (first page, advanced queries only), `@odata.nextLink`, `value`. */
export function listUsers(env: GraphEnv, call: GraphCall, principal: Principal): GraphResult {
  const { basicOnly } = requireDirectoryRead(principal);
  const { dir, q, list } = matchingUsers(env, principal, call);
  const page = list.slice(q.offset, q.offset + q.top);
  const body: Record<string, unknown> = {
    '@odata.context': `${env.baseUrl}/v1.0/$metadata#users${q.selectRaw ? `(${q.selectRaw})` : ''}`,
  };
  if (q.count && q.offset === 0) body['@odata.count'] = list.length;
  if (q.offset + q.top < list.length) body['@odata.nextLink'] = nextLink(env.baseUrl, call, encodeSkipToken(q.offset + q.top, q.fingerprint));
  body.value = page.map((m) => projectUser(graphUser(m, dir.tenant), q.select, basicOnly ? BASIC_PROPERTIES : undefined));
  return json(body, 200, { 'x-ms-resource-unit': String(resourceUnits(call)) });
}

/** `GET /users/$count`: text/plain, and only with `ConsistencyLevel: eventual`. */
export function countUsers(env: GraphEnv, call: GraphCall, principal: Principal): GraphResult {
  requireDirectoryRead(principal);
  if (!isEventual(call)) throw graphErrors.countSegmentNeedsHeader();
  const { list } = matchingUsers(env, principal, call);
  return { status: 200, headers: { 'Content-Type': 'text/plain;charset=utf-8' }, body: String(list.length) };
}

/**
 * `/users/{id | userPrincipalName}` (get-user, user-sendMail docs): an object id or a UPN, never
 * another address; an alias or a `mail` that is not the UPN is 404 `Request_ResourceNotFound`.
 */
function findUser(env: GraphEnv, principal: Principal, id: string): DemoMailbox {
  const user = directoryOf(env, principal).find(id);
  if (!user) throw graphErrors.userNotFound(id);
  return user;
}

function mailboxSettings(m: DemoMailbox): Record<string, unknown> {
  return {
    archiveFolder: `AAMkA${Buffer.from(m.id).toString('base64url').slice(0, 40)}AAA=`,
    timeZone: 'W. Europe Standard Time',
    delegateMeetingMessageDeliveryOptions: 'sendToDelegateOnly',
    dateFormat: 'dd.MM.yyyy',
    timeFormat: 'HH:mm',
    userPurpose: m.userPurpose,
    automaticRepliesSetting: {
      status: 'disabled',
      externalAudience: 'all',
      internalReplyMessage: '',
      externalReplyMessage: '',
      scheduledStartDateTime: { dateTime: '2024-01-01T08:00:00.0000000', timeZone: 'UTC' },
      scheduledEndDateTime: { dateTime: '2024-01-02T08:00:00.0000000', timeZone: 'UTC' },
    },
    language: { locale: 'nb-NO', displayName: 'norsk bokmål (Norge)' },
    workingHours: {
      daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
      startTime: '08:00:00.0000000',
      endTime: '16:00:00.0000000',
      timeZone: { name: 'W. Europe Standard Time' },
    },
  };
}

/** `GET /users/{id|upn}` with optional `$select` (mailboxSettings is selectable here, not on the list). */
export function getUser(env: GraphEnv, call: GraphCall, principal: Principal, id: string): GraphResult {
  const { basicOnly } = requireDirectoryRead(principal);
  const dir = directoryOf(env, principal);
  const selectRaw = call.query.get('$select');
  const select = parseSelect(selectRaw, false);
  const user = findUser(env, principal, id);
  const full = graphUser(user, dir.tenant);
  if (select?.includes('mailboxSettings')) {
    requireMailboxSettingsRead(principal, user.id);
    if (!hasMailbox(user)) throw graphErrors.mailboxNotEnabled();
    full.mailboxSettings = mailboxSettings(user);
  }
  return json({
    '@odata.context': `${env.baseUrl}/v1.0/$metadata#users${select ? `(${selectRaw})` : ''}/$entity`,
    ...projectUser(full, select, basicOnly ? BASIC_PROPERTIES : undefined),
  });
}

/**
 * `GET /users/{id}/mailboxSettings[/userPurpose]`: the definitive "has an Exchange Online mailbox"
 * probe. No mailbox → 404 `MailboxNotEnabledForRESTAPI`; unknown user → 404 `Request_ResourceNotFound`.
 */
export function getMailboxSettings(env: GraphEnv, principal: Principal, id: string, purposeOnly: boolean): GraphResult {
  const user = findUser(env, principal, id);
  requireMailboxSettingsRead(principal, user.id);
  if (!hasMailbox(user)) throw graphErrors.mailboxNotEnabled();
  const context = `${env.baseUrl}/v1.0/$metadata#users('${id}')/mailboxSettings`;
  if (purposeOnly) return json({ '@odata.context': `${context}/userPurpose`, value: user.userPurpose });
  return json({ '@odata.context': context, ...mailboxSettings(user) });
}

function recipients(message: Record<string, unknown>): unknown[] {
  return ['toRecipients', 'ccRecipients', 'bccRecipients'].flatMap((k) => (Array.isArray(message[k]) ? (message[k] as unknown[]) : []));
}

/** `POST /users/{id}/sendMail`: 202 with no body; the message is recorded for tests to read. */
export function sendMail(env: GraphEnv, call: GraphCall, principal: Principal, id: string): GraphResult {
  const body = call.body as { message?: unknown; saveToSentItems?: unknown } | undefined;
  const message = body && typeof body === 'object' && body.message && typeof body.message === 'object' ? (body.message as Record<string, unknown>) : null;
  if (!message) throw graphErrors.missingMessage();
  const user = findUser(env, principal, id);
  requireMailSend(principal, user.id);
  if (!hasMailbox(user)) throw graphErrors.mailboxNotEnabled();
  const list = recipients(message);
  if (list.length === 0) throw graphErrors.noRecipients();
  const valid = list.every((r) => {
    const address = (r as { emailAddress?: { address?: unknown } })?.emailAddress?.address;
    return typeof address === 'string' && /^[^@\s]+@[^@\s]+$/.test(address);
  });
  if (!valid) throw graphErrors.invalidRecipient();
  env.sentMail.push({
    userId: user.id,
    from: user.mail,
    message,
    saveToSentItems: body!.saveToSentItems !== false,
    sentAt: new Date().toISOString(),
  });
  return { status: 202, headers: {} };
}
