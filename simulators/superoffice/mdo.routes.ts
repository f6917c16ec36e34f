import Router from '@koa/router';
import { asBody, stringField } from './body.js';
import { SoError } from './errors.js';
import type { SimRequestState, TenantState } from './sim.types.js';

/** The web panel list's UdListDefinitionId in the simulated tenant [INF: tenant-specific in reality]. */
export const WEBPANEL_LIST_ID = 33;

/** A few entries of MDO list `Lists`; provisioning code looks for the one whose Type is "webpanel". */
const LISTS: [id: number, name: string, type: string][] = [
  [1, 'Category', 'category'],
  [2, 'Business', 'business'],
  [5, 'Project type', 'projtype'],
  [11, 'User groups', 'usergroup'],
  [WEBPANEL_LIST_ID, 'Web panels', 'webpanel'],
];

function mdoListItem([id, name, type]: (typeof LISTS)[number]) {
  return {
    Id: id,
    Name: name,
    ToolTip: '',
    Deleted: false,
    Rank: id,
    Type: type,
    ChildItems: [],
    IconHint: '',
    ColorBlock: 0,
    ExtraInfo: '',
    StyleHint: '',
    FullName: name,
    TableRight: null,
    FieldProperties: {},
  };
}

/** The tenant's user groups, from its associates' primary groups. */
export function userGroups(tenant: TenantState): { id: number; name: string }[] {
  const groups = new Map<number, string>();
  for (const a of tenant.associates.values()) groups.set(a.usergroupId, a.usergroup);
  return [...groups].sort(([a], [b]) => a - b).map(([id, name]) => ({ id, name }));
}

function mdoList(name: string, tenant: TenantState) {
  const key = name.toLowerCase();
  if (key === 'lists') return LISTS.map(mdoListItem);
  if (key === 'usergroup') return userGroups(tenant).map((g) => mdoListItem([g.id, g.name, 'usergroup']));
  throw new SoError(400, 'ArgumentException', `MDO list '${name}' is not simulated.`);
}

/** `GET MDOList/{name}` and the MDO agent's `GetList`, for the `Lists` and `usergroup` lists only. */
export function mdoRouter(): Router<SimRequestState> {
  const router = new Router<SimRequestState>();
  router.get('/MDOList/:name', (ctx) => {
    ctx.body = mdoList(ctx.params.name ?? '', ctx.state.caller.tenant);
  });
  router.post('/Agents/MDO/GetList', (ctx) => {
    ctx.body = mdoList(stringField(asBody(ctx.request.body), 'Name'), ctx.state.caller.tenant);
  });
  return router;
}
