import { randomBytes } from 'node:crypto';

/** What an authorization code was issued for; checked again when it is redeemed. */
export interface AuthCode {
  code: string;
  clientId: string;
  redirectUri: string;
  contextId: string;
  associateId: number;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: 'S256' | 'plain' | undefined;
  expiresAt: number;
  redeemed: boolean;
  /** Tokens issued from this code, revoked if the code is replayed (RFC 6749 §4.1.2). */
  issued: string[];
}

/** An access token, refresh token or ticket: who it acts as and for which app. */
export interface Grant {
  token: string;
  contextId: string;
  associateId: number;
  clientId: string;
  /** Milliseconds since the epoch; Infinity for refresh tokens (valid while consent exists). */
  expiresAt: number;
  revoked: boolean;
}

function opaque(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** In-memory codes and tokens. Tokens are opaque, like SuperOffice's (`8A:` is not a JWT). */
export class TokenStore {
  private codes = new Map<string, AuthCode>();
  private access = new Map<string, Grant>();
  private refresh = new Map<string, Grant>();
  private tickets = new Map<string, Grant>();
  /** Every code, token and ticket handed out, in order (for tests that look for leaks). */
  private readonly history: { kind: 'code' | 'access' | 'refresh' | 'ticket'; value: string }[] = [];

  issued(): { kind: 'code' | 'access' | 'refresh' | 'ticket'; value: string }[] {
    return this.history.map((h) => ({ ...h }));
  }

  issueCode(fields: Omit<AuthCode, 'code' | 'redeemed' | 'issued'>): AuthCode {
    const entry: AuthCode = { ...fields, code: opaque(48), redeemed: false, issued: [] };
    this.codes.set(entry.code, entry);
    this.history.push({ kind: 'code', value: entry.code });
    return entry;
  }

  code(code: string): AuthCode | undefined {
    return this.codes.get(code);
  }

  /** Access tokens look like `8A:Cust12345.<opaque>`, as SuperID issues them. */
  issueAccess(contextId: string, associateId: number, clientId: string, expiresAt: number): Grant {
    const grant: Grant = { token: `8A:${contextId}.${opaque(48)}`, contextId, associateId, clientId, expiresAt, revoked: false };
    this.access.set(grant.token, grant);
    this.history.push({ kind: 'access', value: grant.token });
    return grant;
  }

  issueRefresh(contextId: string, associateId: number, clientId: string): Grant {
    const grant: Grant = { token: opaque(48), contextId, associateId, clientId, expiresAt: Infinity, revoked: false };
    this.refresh.set(grant.token, grant);
    this.history.push({ kind: 'refresh', value: grant.token });
    return grant;
  }

  /** Onsite / system-user credential (`Authorization: SOTicket 7T:…` with `SO-AppToken`). */
  issueTicket(contextId: string, associateId: number, clientId: string, expiresAt: number): Grant {
    const grant: Grant = { token: `7T:${opaque(36)}`, contextId, associateId, clientId, expiresAt, revoked: false };
    this.tickets.set(grant.token, grant);
    this.history.push({ kind: 'ticket', value: grant.token });
    return grant;
  }

  accessToken(token: string): Grant | undefined {
    return this.access.get(token);
  }

  refreshToken(token: string): Grant | undefined {
    return this.refresh.get(token);
  }

  ticket(token: string): Grant | undefined {
    return this.tickets.get(token);
  }

  revoke(token: string): void {
    for (const map of [this.access, this.refresh, this.tickets]) {
      const grant = map.get(token);
      if (grant) grant.revoked = true;
    }
  }

  /** Makes every access token and ticket issued so far expired as of `now`; returns how many. */
  expireAccess(now: number): number {
    let count = 0;
    for (const grant of [...this.access.values(), ...this.tickets.values()]) {
      if (grant.expiresAt > now) {
        grant.expiresAt = now;
        count += 1;
      }
    }
    return count;
  }

  /** Revokes every refresh token, as a tenant withdrawing the app's consent would. */
  revokeRefreshTokens(): number {
    let count = 0;
    for (const grant of this.refresh.values()) {
      if (!grant.revoked) count += 1;
      grant.revoked = true;
    }
    return count;
  }

  clear(): void {
    this.codes.clear();
    this.access.clear();
    this.refresh.clear();
    this.tickets.clear();
  }
}
