import Router from '@koa/router';
import { asBody, field, intField, stringField } from './body.js';
import { sendJsonNull, SoError } from './errors.js';
import { userGroups, WEBPANEL_LIST_ID } from './mdo.routes.js';
import type { SimContext, SimRequestState } from './sim.types.js';
import { defaultWebPanel, toEntity } from './webpanel.store.js';

function panels(ctx: SimContext) {
  return ctx.state.caller.tenant.webPanels;
}

function pathId(raw: string | undefined): number {
  if (!raw || !/^\d+$/.test(raw)) throw new SoError(400, 'ArgumentException', `'${raw ?? ''}' is not a valid web panel id.`);
  return Number(raw);
}

function notFound(id: number): SoError {
  return new SoError(404, 'SoNotFoundException', `WebPanel id ${id} not found`);
}

/** `List/WebPanel/Items` REST: HTTP semantics (404 when missing, 204 on delete). */
function restRoutes(router: Router<SimRequestState>): void {
  router.get('/List/WebPanel/Items/Default', (ctx) => {
    ctx.body = toEntity(defaultWebPanel());
  });

  router.get('/List/WebPanel/Items', (ctx) => {
    ctx.body = panels(ctx).list().map((p) => toEntity(p.entity));
  });

  router.post('/List/WebPanel/Items', (ctx) => {
    ctx.body = toEntity(panels(ctx).create(asBody(ctx.request.body), ctx.state.caller.clientId));
  });

  router.get('/List/WebPanel/Items/:id', (ctx) => {
    const id = pathId(ctx.params.id);
    const stored = panels(ctx).get(id);
    if (!stored) throw notFound(id);
    ctx.body = toEntity(stored.entity);
  });

  router.put('/List/WebPanel/Items/:id', (ctx) => {
    const id = pathId(ctx.params.id);
    const updated = panels(ctx).update(id, asBody(ctx.request.body));
    if (!updated) throw notFound(id);
    ctx.body = toEntity(updated);
  });

  router.delete('/List/WebPanel/Items/:id', (ctx) => {
    const id = pathId(ctx.params.id);
    if (!panels(ctx).softDelete(id)) throw notFound(id);
    ctx.status = 204;
  });
}

/** `Agents/List/…` web panel methods: no HTTP semantics, "not found" is 200 `null`. */
function agentRoutes(router: Router<SimRequestState>): void {
  const agent = (method: string) => `/Agents/List/${method}`;

  router.post(agent('CreateDefaultWebPanelEntity'), (ctx) => {
    ctx.body = toEntity(defaultWebPanel());
  });

  // WebPanelId 0 creates; an id that does not exist also creates [INF].
  router.post(agent('SaveWebPanelEntity'), (ctx) => {
    const body = asBody(ctx.request.body);
    const id = intField(body, 'WebPanelId', 0);
    const store = panels(ctx);
    const saved = (id > 0 && store.update(id, body)) || store.create(body, ctx.state.caller.clientId);
    ctx.body = toEntity(saved);
  });

  router.post(agent('GetWebPanelEntity'), (ctx) => {
    const raw = ctx.query.webPanelEntityId;
    if (typeof raw !== 'string' || !/^-?\d+$/.test(raw)) {
      // What ASP.NET answers when a required scalar is missing from the query.
      ctx.body = {
        Message: 'The request is invalid.',
        MessageDetail: "The parameters dictionary contains a null entry for parameter 'webPanelEntityId' of non-nullable type 'System.Int32'.",
      };
      return;
    }
    const stored = panels(ctx).get(Number(raw));
    if (!stored) return sendJsonNull(ctx);
    ctx.body = toEntity(stored.entity);
  });

  router.post(agent('GetWebPanelList'), (ctx) => {
    ctx.body = panels(ctx).list().map((p) => toEntity(p.entity));
  });

  router.post(agent('GetWebPanelByProgId'), (ctx) => {
    const progId = stringField(asBody(ctx.request.body), 'ProgId');
    const stored = panels(ctx).byProgId(progId);
    if (stored) {
      ctx.body = toEntity(stored.entity);
      return;
    }
    const miss = ctx.state.sim.webPanelMiss;
    if (miss === 'empty') ctx.body = toEntity(defaultWebPanel());
    else if (miss === 'error') throw new SoError(500, 'SoNotFoundException', `WebPanel with ProgId '${progId}' not found`);
    else sendJsonNull(ctx);
  });

  router.post(agent('DeleteWebPanel'), (ctx) => {
    panels(ctx).hardDelete(intField(asBody(ctx.request.body), 'Id', 0));
    ctx.status = 204;
  });

  // Online only: the panels owned by the calling app.
  router.post(agent('GetAppWebPanels'), (ctx) => {
    ctx.body = panels(ctx)
      .list()
      .filter((p) => p.ownerClientId === ctx.state.caller.clientId)
      .map((p) => toEntity(p.entity));
  });

  router.post(agent('DeleteAppWebPanels'), (ctx) => {
    const store = panels(ctx);
    for (const p of store.list()) if (p.ownerClientId === ctx.state.caller.clientId) store.hardDelete(p.entity.WebPanelId);
    ctx.status = 204;
  });

  // Every user group with `Selected` saying whether the panel is visible for it [INF: the exact shape].
  router.post(agent('GetVisibleForUserGroups'), (ctx) => {
    const body = asBody(ctx.request.body);
    if (intField(body, 'UdListDefinitionId', 0) !== WEBPANEL_LIST_ID) {
      throw new SoError(400, 'ArgumentException', 'Only the web panel list is simulated.');
    }
    const stored = panels(ctx).get(intField(body, 'ListItemId', 0));
    if (!stored) throw new SoError(400, 'ArgumentException', `Web panel ${intField(body, 'ListItemId', 0)} does not exist.`);
    ctx.body = userGroups(ctx.state.caller.tenant).map((g) => ({
      Id: g.id,
      Name: g.name,
      ToolTip: '',
      Deleted: false,
      Rank: g.id,
      Type: 'usergroup',
      ColorBlock: 0,
      IconHint: '',
      Selected: stored.visibleForUserGroups.includes(g.id),
      LastChanged: '0001-01-01T00:00:00',
      ExtraInfo: '',
      StyleHint: '',
      FullName: g.name,
    }));
  });

  router.post(agent('SetVisibleForUserGroup'), (ctx) => {
    const body = asBody(ctx.request.body);
    const listId = intField(body, 'UdListDefinitionId', 0);
    if (listId !== WEBPANEL_LIST_ID) {
      throw new SoError(400, 'ArgumentException', `List ${listId} is not the web panel list; only web panels are simulated.`);
    }
    const groups = field(body, 'UserGroupId');
    if (!Array.isArray(groups) || !groups.every((g) => Number.isInteger(g))) {
      throw new SoError(400, 'ArgumentException', 'UserGroupId must be an array of user group ids.');
    }
    const enable = field(body, 'Enable');
    if (typeof enable !== 'boolean') throw new SoError(400, 'ArgumentException', 'Enable must be true or false.');
    const itemId = intField(body, 'ListItemId', 0);
    if (!panels(ctx).setVisibleForUserGroup(itemId, groups as number[], enable)) {
      throw new SoError(400, 'ArgumentException', `Web panel ${itemId} does not exist.`);
    }
    ctx.status = 204;
  });
}

export function webPanelRouter(): Router<SimRequestState> {
  const router = new Router<SimRequestState>();
  restRoutes(router);
  agentRoutes(router);
  // Provisioning code flushes the app cache after changing panels (WebPanelHelper.cs) [INF: body shape].
  router.post('/Agents/Diagnostics/FlushCachesByName', (ctx) => {
    const names = field(asBody(ctx.request.body), 'CacheNames');
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
      throw new SoError(400, 'ArgumentException', 'CacheNames must be an array of cache names.');
    }
    ctx.status = 204;
  });
  return router;
}
