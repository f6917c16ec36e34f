import Router from '@koa/router';
import { asBody, stringField } from './body.js';
import { SoError } from './errors.js';
import type { SimRequestState } from './sim.types.js';

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

function mdoList(name: string) {
  if (name.toLowerCase() !== 'lists') throw new SoError(400, 'ArgumentException', `MDO list '${name}' is not simulated.`);
  return LISTS.map(mdoListItem);
}

/** `GET MDOList/{name}` and the MDO agent's `GetList`, for the `Lists` list only. */
export function mdoRouter(): Router<SimRequestState> {
  const router = new Router<SimRequestState>();
  router.get('/MDOList/:name', (ctx) => {
    ctx.body = mdoList(ctx.params.name ?? '');
  });
  router.post('/Agents/MDO/GetList', (ctx) => {
    ctx.body = mdoList(stringField(asBody(ctx.request.body), 'Name'));
  });
  return router;
}
