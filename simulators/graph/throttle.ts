import type { GraphFaults, ThrottleBudget } from './graph.types.js';

/**
 * A fixed-window request budget per key. `take` answers null when the request may go ahead, or
 * the whole seconds until the window resets (Graph's integer `Retry-After`).
 */
export class WindowBudget {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(
    private budget: ThrottleBudget | null,
    private readonly now: () => number = Date.now,
  ) {}

  set(budget: ThrottleBudget | null): void {
    this.budget = budget;
    this.windows.clear();
  }

  take(key: string): number | null {
    if (!this.budget) return null;
    const now = this.now();
    const windowMs = this.budget.windowSeconds * 1000;
    let w = this.windows.get(key);
    if (!w || now - w.start >= windowMs) {
      w = { start: now, used: 0 };
      this.windows.set(key, w);
    }
    if (w.used >= this.budget.limit) return Math.max(1, Math.ceil((w.start + windowMs - now) / 1000));
    w.used += 1;
    return null;
  }

  reset(): void {
    this.windows.clear();
  }
}

/** In-flight requests per key (Outlook's 4 concurrent requests per app and mailbox). */
export class ConcurrencyGate {
  private readonly inFlight = new Map<string, number>();
  /** The most requests ever in flight at once per key, counting the refused one (so a test can see a breach). */
  private readonly peaks = new Map<string, number>();

  constructor(readonly limit: number) {}

  tryAcquire(key: string): boolean {
    const n = this.inFlight.get(key) ?? 0;
    if (n + 1 > (this.peaks.get(key) ?? 0)) this.peaks.set(key, n + 1);
    if (n >= this.limit) return false;
    this.inFlight.set(key, n + 1);
    return true;
  }

  release(key: string): void {
    const n = (this.inFlight.get(key) ?? 1) - 1;
    if (n <= 0) this.inFlight.delete(key);
    else this.inFlight.set(key, n);
  }

  peakByKey(): Record<string, number> {
    return Object.fromEntries(this.peaks);
  }

  resetPeaks(): void {
    this.peaks.clear();
  }
}

export type InjectedFault = { kind: 'unavailable' | 'throttled'; retryAfterSeconds: number };

const NO_FAULTS: Required<GraphFaults> = { unavailable: 0, throttled: 0, retryAfterSeconds: 1, delayMs: 0, route: null, commitThenTimeout: 0 };

/** Injected failures; each top-level request consumes one count of a pending fault. */
export class FaultSwitch {
  private state: Required<GraphFaults> = { ...NO_FAULTS };

  set(faults: GraphFaults): void {
    this.state = { ...this.state, ...Object.fromEntries(Object.entries(faults).filter(([, v]) => v !== undefined)) };
  }

  clear(): void {
    this.state = { ...NO_FAULTS };
  }

  snapshot(): Required<GraphFaults> {
    return { ...this.state };
  }

  get delayMs(): number {
    return this.state.delayMs;
  }

  /**
   * Commit-then-timeout: a successful write (POST/PATCH/DELETE) of `route` (or any, when route is
   * null) is applied and its connection then destroyed, so the client sees a failure. Consumed one
   * per write that went through.
   */
  takeCommitThenTimeout(route: string, method: string): boolean {
    if (this.state.commitThenTimeout <= 0 || !['POST', 'PATCH', 'DELETE', 'PUT'].includes(method)) return false;
    if (this.state.route !== null && route !== this.state.route) return false;
    this.state.commitThenTimeout -= 1;
    return true;
  }

  /** The fault this request (of `route`) gets, if any: 503s first, then a 429 burst. */
  next(route?: string): InjectedFault | null {
    if (this.state.route !== null && route !== this.state.route) return null;
    const retryAfterSeconds = this.state.retryAfterSeconds;
    if (this.state.unavailable === 'persistent') return { kind: 'unavailable', retryAfterSeconds };
    if (this.state.unavailable > 0) {
      this.state.unavailable -= 1;
      return { kind: 'unavailable', retryAfterSeconds };
    }
    if (this.state.throttled > 0) {
      this.state.throttled -= 1;
      return { kind: 'throttled', retryAfterSeconds };
    }
    return null;
  }
}
