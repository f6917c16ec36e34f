import Router from '@koa/router';
import {
  entityFilter,
  parseColumns,
  parseRestrictions,
  parseSort,
  providerName,
  queryRows,
  type ArchiveQuery,
} from './archive.provider.js';
import { agentRow, fullRow, slimRow, type OutputMode } from './archive.render.js';
import { asBody, intField, stringField } from './body.js';
import { SoError } from './errors.js';
import { linkBaseOf, webApiUrlOf, type SimContext, type SimRequestState } from './sim.types.js';

/** ASP.NET binds query names case-insensitively (`$orderby` = `$orderBy`). */
export function queryValue(ctx: SimContext, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(ctx.query)) {
    if (key.toLowerCase() === lower) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

export function nonNegative(ctx: SimContext, name: string): number | undefined {
  const raw = queryValue(ctx, name);
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new SoError(400, 'ArgumentException', `${name} must be a non-negative integer.`);
  return Number(raw);
}

/** The same request with `$skip`/`$top` moved on one page; other parameters keep their order. */
export function nextLink(ctx: SimContext, baseUrl: string, skip: number, top: number): string {
  const parts: string[] = [];
  let sawSkip = false;
  let sawTop = false;
  for (const pair of ctx.querystring.split('&').filter(Boolean)) {
    const key = decodeURIComponent(pair.split('=')[0] ?? '').toLowerCase();
    if (key === '$skip') {
      parts.push(`$skip=${skip}`);
      sawSkip = true;
    } else if (key === '$top') {
      parts.push(`$top=${top}`);
      sawTop = true;
    } else parts.push(pair);
  }
  if (!sawTop) parts.push(`$top=${top}`);
  if (!sawSkip) parts.push(`$skip=${skip}`);
  return `${baseUrl}${ctx.path}?${parts.join('&')}`;
}

/**
 * `GET Archive/{provider}` (OData, ODataSlimResponse) and the Archive agent's
 * `GetArchiveListByColumns2` / `GetArchiveListByColumnsWithHeader2`.
 */
export function archiveRouter(): Router<SimRequestState> {
  const router = new Router<SimRequestState>();

  router.get('/Archive/:provider', (ctx) => {
    const { sim, caller } = ctx.state;
    providerName(ctx.params.provider ?? '');
    const query: ArchiveQuery = {
      columns: parseColumns(queryValue(ctx, '$select') ?? ''),
      sort: parseSort(queryValue(ctx, '$orderBy') ?? ''),
      where: parseRestrictions(queryValue(ctx, '$filter') ?? ''),
      entities: entityFilter(queryValue(ctx, '$entities') ?? ''),
    };
    const mode = (queryValue(ctx, '$mode') ?? 'Slim').toLowerCase();
    if (!['slim', 'full', 'wide'].includes(mode)) throw new SoError(400, 'ArgumentException', '$mode must be Slim, Wide or Full.');
    const outputRaw = (queryValue(ctx, '$output') ?? 'Display').toLowerCase();
    if (outputRaw !== 'logical' && outputRaw !== 'display') throw new SoError(400, 'ArgumentException', '$output must be Logical or Display.');
    const output: OutputMode = outputRaw === 'logical' ? 'Logical' : 'Display';

    const rows = queryRows([...caller.tenant.associates.values()], query);
    const skip = nonNegative(ctx, '$skip') ?? 0;
    const requestedTop = nonNegative(ctx, '$top');
    // Server-driven paging: a missing or too large $top still gets a page of at most the cap.
    const top = Math.min(requestedTop ?? sim.odataMaxPageSize, sim.odataMaxPageSize);
    const page = rows.slice(skip, skip + top);

    const body: Record<string, unknown> = { 'odata.metadata': `${webApiUrlOf(sim, caller.tenant.tenant.contextId)}v1/Archive/$metadata` };
    // Whether a nextLink comes back when the client set $top is undocumented, and a real capture
    // (SuperOffice's native-app quickstart) shows `"odata.nextLink": null`: so none, unless the
    // test lever says otherwise. Links name the server as it calls itself, not as `webapi_url` does.
    const more = top > 0 && skip + top < rows.length;
    const linked = requestedTop === undefined || sim.odataNextLinkWithTop;
    body['odata.nextLink'] = more && linked ? nextLink(ctx, linkBaseOf(sim), skip + top, top) : null;
    body.value = page.map((row) => (mode === 'full' ? fullRow(row, query.columns) : slimRow(row, query.columns, output)));
    ctx.body = body;
  });

  /** Page is 0-based; a negative page means "skip that many rows" (ArchiveAgent docs). */
  function agentPage(ctx: SimContext) {
    const body = asBody(ctx.request.body);
    providerName(stringField(body, 'ProviderName'));
    const query: ArchiveQuery = {
      columns: parseColumns(stringField(body, 'Columns')),
      sort: parseSort(stringField(body, 'SortOrder')),
      where: parseRestrictions(stringField(body, 'Restrictions', stringField(body, 'Restriction'))),
      entities: entityFilter(stringField(body, 'Entities')),
    };
    const page = intField(body, 'Page', 0);
    const pageSize = intField(body, 'PageSize', 0);
    const rows = queryRows([...ctx.state.caller.tenant.associates.values()], query);
    const start = page < 0 ? -page : page * pageSize;
    const slice = pageSize > 0 ? rows.slice(start, start + pageSize) : [];
    return { total: rows.length, items: slice.map((a) => agentRow(a, query.columns)) };
  }

  router.post('/Agents/Archive/GetArchiveListByColumns2', (ctx) => {
    ctx.body = agentPage(ctx).items;
  });

  router.post('/Agents/Archive/GetArchiveListByColumnsWithHeader2', (ctx) => {
    const { total, items } = agentPage(ctx);
    ctx.body = { RowCount: total, Rows: items, TableRight: null, FieldProperties: {} };
  });

  return router;
}
