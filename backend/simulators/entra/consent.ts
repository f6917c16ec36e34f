/**
 * Admin consent per (tenant, app): the application permissions granted there. No record means
 * the app has no service principal in that tenant, so client credentials fail with AADSTS700016;
 * an empty list means consented without permissions, so tokens carry no `roles` and Graph says 403.
 */
export class ConsentStore {
  private readonly grants = new Map<string, string[]>();

  private static key(tenantId: string, clientId: string): string {
    return `${tenantId.toLowerCase()}|${clientId.toLowerCase()}`;
  }

  grant(tenantId: string, clientId: string, permissions: readonly string[]): void {
    this.grants.set(ConsentStore.key(tenantId, clientId), [...permissions]);
  }

  revoke(tenantId: string, clientId: string): void {
    this.grants.delete(ConsentStore.key(tenantId, clientId));
  }

  get(tenantId: string, clientId: string): string[] | null {
    const granted = this.grants.get(ConsentStore.key(tenantId, clientId));
    return granted ? [...granted] : null;
  }

  clear(): void {
    this.grants.clear();
  }
}
