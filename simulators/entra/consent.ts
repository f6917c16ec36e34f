/**
 * Admin consent per (tenant, app): the application permissions granted there, and the delegated
 * permissions granted for every user of the tenant (what `/.default` admin consent does for the
 * delegated permissions listed in the app registration). No record means the app has no service
 * principal in that tenant, so client credentials fail with AADSTS700016; an empty list means
 * consented without permissions, so tokens carry no `roles` and Graph says 403.
 */
export class ConsentStore {
  private readonly grants = new Map<string, { roles: string[]; delegated: string[] }>();

  private static key(tenantId: string, clientId: string): string {
    return `${tenantId.toLowerCase()}|${clientId.toLowerCase()}`;
  }

  grant(tenantId: string, clientId: string, permissions: readonly string[], delegated: readonly string[] = []): void {
    this.grants.set(ConsentStore.key(tenantId, clientId), { roles: [...permissions], delegated: [...delegated] });
  }

  revoke(tenantId: string, clientId: string): void {
    this.grants.delete(ConsentStore.key(tenantId, clientId));
  }

  get(tenantId: string, clientId: string): string[] | null {
    const granted = this.grants.get(ConsentStore.key(tenantId, clientId));
    return granted ? [...granted.roles] : null;
  }

  /** Delegated permissions an administrator granted for all users (lower-case). */
  delegated(tenantId: string, clientId: string): string[] {
    return (this.grants.get(ConsentStore.key(tenantId, clientId))?.delegated ?? []).map((s) => s.toLowerCase());
  }

  clear(): void {
    this.grants.clear();
  }
}
