import type Router from '@koa/router';
import type { Context } from 'koa';
import { asBody } from './body.js';
import { defaultPersonFields, EMPTY_ADDRESS, type PersonFields, type PersonListener, type StoredPerson } from './person.store.js';
import { tenantKey, type SimState, type TenantState } from './sim.types.js';

/** Who does it (the `UpdatedBy` associate; the person's "our contact" by default) and in which tenant (the first by default). */
export interface PersonEditOptions {
  asAssociateId?: number;
  contextId?: string;
}

/** Levers for persons, as CRM users change them; also over HTTP under `/__sim/persons`. */
export interface PersonSimControl {
  /** A user registers a person (any fields left out are empty). */
  create(fields: Partial<PersonFields>, options?: PersonEditOptions): StoredPerson;
  /** A user edits some fields; `UpdatedDate` becomes now. */
  edit(personId: number, patch: Partial<PersonFields>, options?: PersonEditOptions): StoredPerson;
  /** A user changes the person's "Our contact" (0: nobody). */
  setOurContact(personId: number, associateId: number, options?: PersonEditOptions): StoredPerson;
  /** A user deletes the person (soft: `personDeletedDate` set, the entity 404s). */
  delete(personId: number, options?: PersonEditOptions): StoredPerson;
  get(personId: number, contextId?: string): StoredPerson | undefined;
  list(contextId?: string): StoredPerson[];
  /** The hook point of every person change (see PersonStore.onPersonChange). */
  onPersonChange(listener: PersonListener, contextId?: string): () => void;
  /** Every tenant's persons gone. */
  reset(): void;
}

function tenantOf(sim: SimState, contextId: string | undefined): TenantState {
  const tenant = contextId ? sim.tenants.get(tenantKey(contextId)) : sim.tenants.values().next().value;
  if (!tenant) throw new Error(`Unknown tenant ${contextId ?? ''}`);
  return tenant;
}

/** Missing parts of a partial write filled in (the address merged field by field). */
function normalised(fields: Partial<PersonFields>, base: PersonFields): Partial<PersonFields> {
  return { ...fields, ...(fields.address ? { address: { ...EMPTY_ADDRESS, ...base.address, ...fields.address } } : {}) };
}

export function createPersonControl(sim: SimState): PersonSimControl {
  const by = (o: PersonEditOptions, p?: StoredPerson) => o.asAssociateId ?? p?.associateId ?? 0;
  const existing = (t: TenantState, id: number) => {
    const p = t.persons.get(id);
    if (!p) throw new Error(`No person ${id} in ${t.tenant.contextId}`);
    return p;
  };
  return {
    create: (fields, o = {}) => {
      const t = tenantOf(sim, o.contextId);
      const base = defaultPersonFields();
      return t.persons.create({ ...base, ...normalised(fields, base) }, o.asAssociateId ?? fields.associateId ?? 0, sim.clock());
    },
    edit: (id, patch, o = {}) => {
      const t = tenantOf(sim, o.contextId);
      const p = existing(t, id);
      return t.persons.update(id, normalised(patch, p), by(o, p), sim.clock());
    },
    setOurContact: (id, associateId, o = {}) => {
      const t = tenantOf(sim, o.contextId);
      const p = existing(t, id);
      return t.persons.update(id, { associateId }, by(o, p), sim.clock());
    },
    delete: (id, o = {}) => {
      const t = tenantOf(sim, o.contextId);
      const p = existing(t, id);
      return t.persons.delete(id, by(o, p), sim.clock());
    },
    get: (id, contextId) => {
      const p = tenantOf(sim, contextId).persons.get(id);
      return p ? structuredClone(p) : undefined;
    },
    list: (contextId) => tenantOf(sim, contextId).persons.all().map((p) => structuredClone(p)),
    onPersonChange: (listener, contextId) => tenantOf(sim, contextId).persons.onPersonChange(listener),
    reset: () => {
      for (const t of sim.tenants.values()) t.persons.clear();
    },
  };
}

function attempt(ctx: Context, op: () => unknown): void {
  try {
    ctx.body = op();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    ctx.status = /^No person|^no person/.test(message) ? 404 : 400;
    ctx.body = { error: message };
  }
}

const contextOf = (ctx: Context) => (typeof ctx.query.ctx === 'string' ? ctx.query.ctx : undefined);
const asOf = (ctx: Context) => (typeof ctx.query.as === 'string' && /^\d+$/.test(ctx.query.as) ? Number(ctx.query.as) : undefined);

/**
 * `/__sim/persons` (GET list; POST create; PATCH `/:id` edit, `associateId` included for a
 * change of "our contact"; DELETE `/:id`), bodies in PersonFields terms; `?ctx=` picks the tenant,
 * `?as=` the user doing it.
 */
export function personControlRoutes(router: Router, control: PersonSimControl): void {
  router.get('/persons', (ctx) => attempt(ctx, () => ({ value: control.list(contextOf(ctx)) })));
  router.post('/persons', (ctx) => attempt(ctx, () => control.create(asBody(ctx.request.body) as Partial<PersonFields>, { asAssociateId: asOf(ctx), contextId: contextOf(ctx) })));
  router.patch('/persons/:id', (ctx) =>
    attempt(ctx, () => control.edit(Number(ctx.params.id), asBody(ctx.request.body) as Partial<PersonFields>, { asAssociateId: asOf(ctx), contextId: contextOf(ctx) })),
  );
  router.delete('/persons/:id', (ctx) => attempt(ctx, () => control.delete(Number(ctx.params.id), { asAssociateId: asOf(ctx), contextId: contextOf(ctx) })));
}
