import assert from 'node:assert/strict';
import { ExplainAnswer, type ExplainResult } from '../../../backend/explain/explain.schemas.js';
import type { World } from '../sync/diary/world.js';

export interface Explainer {
  /** The world's SuperOffice administrator: their token and associate id. */
  admin: string;
  adminId: number;
  /** POST /api/v1/explain (as the administrator unless told), asserted 200 and parsed as the contract says. */
  explain(body: Record<string, unknown>, token?: string): Promise<ExplainResult>;
}

/** Signs in the world's administrator and asks "Why didn't this sync?" as them. */
export async function explainerFor(w: World): Promise<Explainer> {
  const adminId = w.h.env.tenant.associates.find((a) => a.functionRights.includes('admin-all'))!.associateId;
  const admin = await w.h.token({ tenantId: w.tenantId, associateId: adminId, associateName: 'Ada Admin', isAdmin: true });
  return {
    admin,
    adminId,
    async explain(body, token = admin) {
      const res = await w.h.request('POST', '/api/v1/explain', { token, body });
      assert.equal(res.status, 200, res.text);
      return ExplainAnswer.parse(res.body);
    },
  };
}
