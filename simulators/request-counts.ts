/**
 * Counts requests per route template (`GET /v1.0/users`), so tests and benchmarks can assert
 * what a feature costs in calls (e.g. ceil(M/999) list requests for M mailboxes).
 */
export interface RequestCounts {
  total: number;
  byRoute: Record<string, number>;
}

export class RequestCounter {
  private total = 0;
  private byRoute = new Map<string, number>();

  record(route: string): void {
    this.total += 1;
    this.byRoute.set(route, (this.byRoute.get(route) ?? 0) + 1);
  }

  snapshot(): RequestCounts {
    return { total: this.total, byRoute: Object.fromEntries([...this.byRoute].sort(([a], [b]) => a.localeCompare(b))) };
  }

  reset(): void {
    this.total = 0;
    this.byRoute.clear();
  }
}
