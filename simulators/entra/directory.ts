import type { DemoMailbox, DemoTenant } from '../demo-tenant.types.js';

/** How the `{tenant}` path segment resolved: one directory, or a multi-tenant alias. */
export type TenantRef = { kind: 'tenant'; tenant: DemoTenant } | { kind: 'multi'; alias: 'common' | 'organizations' };

/** The Entra directories the simulator knows: tenants by id or verified domain, and their users. */
export class Directory {
  private readonly byKey = new Map<string, DemoTenant>();
  private readonly users = new Map<string, Map<string, DemoMailbox>>();

  constructor(readonly tenants: readonly DemoTenant[]) {
    for (const tenant of tenants) {
      this.byKey.set(tenant.entraTenantId.toLowerCase(), tenant);
      this.byKey.set(tenant.domain.toLowerCase(), tenant);
      this.users.set(tenant.entraTenantId, new Map(tenant.mailboxes.map((m) => [m.id, m])));
    }
  }

  /** The first tenant: where `organizations`/`common` admin consent lands. */
  get home(): DemoTenant {
    return this.tenants[0]!;
  }

  resolve(segment: string): TenantRef | null {
    const key = segment.toLowerCase();
    if (key === 'common' || key === 'organizations') return { kind: 'multi', alias: key };
    const tenant = this.byKey.get(key);
    return tenant ? { kind: 'tenant', tenant } : null;
  }

  tenant(tenantId: string): DemoTenant | undefined {
    return this.byKey.get(tenantId.toLowerCase());
  }

  user(tenantId: string, userId: string): DemoMailbox | undefined {
    return this.users.get(tenantId)?.get(userId);
  }

  /** Who may sign in: enabled member accounts (guests sign in at their home tenant; disabled accounts can't). */
  signInUsers(ref: TenantRef): { tenant: DemoTenant; user: DemoMailbox }[] {
    const tenants = ref.kind === 'tenant' ? [ref.tenant] : this.tenants;
    return tenants.flatMap((tenant) =>
      tenant.mailboxes.filter((m) => m.accountEnabled && m.userType === 'Member').map((user) => ({ tenant, user })),
    );
  }
}
