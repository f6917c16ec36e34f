import { randomUUID } from 'node:crypto';
import { stableGuid } from '../seeded-random.js';
import { GRAPH_JSON } from './graph-env.js';
import { graphErrors } from './graph-errors.js';
import type { GraphCall, GraphResult } from './graph.types.js';

/** Graph's documented limit: at most 20 requests per `$batch`. */
export const MAX_BATCH_REQUESTS = 20;
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

export interface BatchItemResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Checks the envelope; anything malformed fails the whole batch with 400, as Graph does. */
function parseItems(body: unknown): BatchItem[] {
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (!body || typeof body !== 'object' || !Array.isArray(requests) || requests.length === 0) {
    throw graphErrors.badBatch('Invalid batch payload format.');
  }
  if (requests.length > MAX_BATCH_REQUESTS) {
    throw graphErrors.badBatch(`The number of requests in a batch cannot exceed ${MAX_BATCH_REQUESTS}. This batch contains ${requests.length}.`);
  }
  const items: BatchItem[] = [];
  const ids = new Set<string>();
  for (const raw of requests) {
    const r = (raw ?? {}) as Record<string, unknown>;
    if (typeof r.id !== 'string' || r.id === '') throw graphErrors.badBatch('Every request in a batch needs a string id.');
    if (ids.has(r.id)) throw graphErrors.badBatch(`Request ids in a batch must be unique; '${r.id}' is repeated.`);
    ids.add(r.id);
    const method = typeof r.method === 'string' ? r.method.toUpperCase() : '';
    if (!METHODS.has(method)) throw graphErrors.badBatch(`Request id ${r.id} has an invalid method.`);
    if (typeof r.url !== 'string' || r.url === '') throw graphErrors.badBatch(`Request id ${r.id} has no url.`);
    // Item urls are relative and versionless (`/users/x`). Graph refuses the whole batch for an
    // absolute or versioned one, the trap SDK 3.0.7's BatchRequestContent sets for `…/v1.0/…` Requests.
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(r.url) || /^\/?(v1\.0|beta)(\/|$)/i.test(r.url)) throw graphErrors.badBatch('Invalid batch payload format.');
    const headers: Record<string, string> = {};
    if (r.headers && typeof r.headers === 'object') {
      for (const [k, v] of Object.entries(r.headers as Record<string, unknown>)) headers[k.toLowerCase()] = String(v);
    }
    if (r.body !== undefined && !headers['content-type']) {
      throw graphErrors.badBatch(`Write request id : ${r.id} does not contain Content-Type header or body.`);
    }
    const dependsOn = Array.isArray(r.dependsOn) ? r.dependsOn.map(String) : [];
    items.push({ id: r.id, method, url: r.url, headers, body: r.body, dependsOn });
  }
  for (const item of items) {
    for (const dep of item.dependsOn) {
      if (!ids.has(dep) || dep === item.id) throw graphErrors.badBatch(`Request id ${item.id} depends on '${dep}', which is not another request of this batch.`);
    }
  }
  return items;
}

/** A batch item's relative URL (`/users/x?$select=y`, no version) as a call. */
function itemCall(item: BatchItem, envelope: GraphCall): GraphCall {
  const relative = item.url.startsWith('/') ? item.url : `/${item.url}`;
  const q = relative.indexOf('?');
  const rawQuery = q < 0 ? '' : relative.slice(q + 1);
  let body = item.body;
  if (typeof body === 'string' && item.headers['content-type']?.includes('json')) {
    try {
      body = JSON.parse(body);
    } catch {
      /* left as text; the route will reject it */
    }
  }
  return {
    method: item.method,
    path: q < 0 ? relative : relative.slice(0, q),
    rawQuery,
    query: new URLSearchParams(rawQuery),
    headers: { ...item.headers, authorization: envelope.headers.authorization ?? '' },
    body,
    requestId: randomUUID(),
    clientRequestId: item.headers['client-request-id'] ?? envelope.clientRequestId,
  };
}

const ok = (status: number): boolean => status >= 200 && status < 300;

/**
 * Runs the items (dependencies first, otherwise in request order; each is throttled and
 * authorized on its own) and answers 200 with one response per item. A dependent of a failed
 * request gets 424 without running.
 */
export async function runBatch(
  envelope: GraphCall,
  execute: (call: GraphCall) => Promise<GraphResult>,
  order: 'shuffled' | 'request',
): Promise<GraphResult> {
  const items = parseItems(envelope.body);
  const done = new Map<string, BatchItemResponse>();
  const pending = [...items];
  while (pending.length > 0) {
    const index = pending.findIndex((item) => item.dependsOn.every((dep) => done.has(dep)));
    if (index < 0) throw graphErrors.badBatch('The dependsOn references in this batch form a cycle.');
    const item = pending.splice(index, 1)[0]!;
    const failedDep = item.dependsOn.find((dep) => !ok(done.get(dep)!.status));
    if (failedDep !== undefined) {
      done.set(item.id, {
        id: item.id,
        status: 424,
        headers: { 'Content-Type': 'application/json' },
        body: { error: { code: 'FailedDependency', message: `Request '${item.id}' was not run because request '${failedDep}' it depends on failed.` } },
      });
      continue;
    }
    const result = await execute(itemCall(item, envelope));
    done.set(item.id, { id: item.id, status: result.status, headers: result.headers, ...(result.body !== undefined ? { body: result.body } : {}) });
  }
  let responses = items.map((item) => done.get(item.id)!);
  // Graph may answer in any order: a fixed non-request order keeps tests honest and repeatable.
  if (order === 'shuffled') responses = [...responses].sort((a, b) => stableGuid(a.id).localeCompare(stableGuid(b.id)));
  return { status: 200, headers: { 'Content-Type': GRAPH_JSON, 'OData-Version': '4.0' }, body: { responses } };
}
