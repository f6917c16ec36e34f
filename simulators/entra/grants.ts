import { randomBytes } from 'node:crypto';

/** What a signed-in user authorized: carried by an authorization code, then by its refresh token. */
export interface UserGrant {
  clientId: string;
  redirectUri: string;
  tenantId: string;
  userId: string;
  /** Requested scopes as sent (`openid profile offline_access User.Read`). */
  scopes: string[];
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  /** Issued through a SPA redirect URI: redemption must be cross-origin and secret-less. */
  spa: boolean;
}

export type Redemption = { ok: true; grant: UserGrant } | { ok: false; reason: 'unknown' | 'expired' | 'redeemed' };

/** A secret the simulator handed out, kept for tests that look for leaks. */
export interface IssuedSecret {
  kind: 'code' | 'refresh' | 'token';
  value: string;
}

/** Entra's codes live about ten minutes and work once. */
const CODE_LIFETIME_MS = 10 * 60 * 1000;

export class CodeStore {
  private readonly codes = new Map<string, { grant: UserGrant; expiresAt: number; redeemed: boolean }>();

  constructor(private readonly issued: IssuedSecret[] = []) {}

  issue(grant: UserGrant, now: number): string {
    const code = `1.${randomBytes(48).toString('base64url')}`;
    this.issued.push({ kind: 'code', value: code });
    this.codes.set(code, { grant, expiresAt: now + CODE_LIFETIME_MS, redeemed: false });
    return code;
  }

  /** Looks a code up without using it: a redemption that fails its checks leaves the code valid. */
  find(code: string, now: number): Redemption {
    const entry = this.codes.get(code);
    if (!entry) return { ok: false, reason: 'unknown' };
    if (entry.redeemed) return { ok: false, reason: 'redeemed' };
    if (now > entry.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, grant: entry.grant };
  }

  markRedeemed(code: string): void {
    const entry = this.codes.get(code);
    if (entry) entry.redeemed = true;
  }

  clear(): void {
    this.codes.clear();
  }
}

/** Opaque refresh tokens, rotated on use like Entra does for SPAs. */
export class RefreshTokenStore {
  private readonly tokens = new Map<string, UserGrant>();
  private readonly revoked = new Map<string, UserGrant>();

  constructor(private readonly issued: IssuedSecret[] = []) {}

  issue(grant: UserGrant): string {
    const token = `1.${randomBytes(64).toString('base64url')}`;
    this.issued.push({ kind: 'refresh', value: token });
    this.tokens.set(token, grant);
    return token;
  }

  take(token: string): { grant: UserGrant; revoked: boolean } | undefined {
    const grant = this.tokens.get(token);
    this.tokens.delete(token);
    if (grant) return { grant, revoked: false };
    const revoked = this.revoked.get(token);
    return revoked ? { grant: revoked, revoked: true } : undefined;
  }

  /**
   * The user's sessions revoked (an administrator's "Revoke sessions", `revokeSignInSessions`, or
   * a password reset): every refresh token issued to them so far stops working; Entra then answers
   * invalid_grant AADSTS50173. Returns how many were revoked.
   */
  revokeUser(tenantId: string, userId: string): number {
    let n = 0;
    for (const [token, grant] of this.tokens) {
      if (grant.tenantId === tenantId && grant.userId.toLowerCase() === userId.toLowerCase()) {
        this.tokens.delete(token);
        this.revoked.set(token, grant);
        n += 1;
      }
    }
    return n;
  }

  clear(): void {
    this.tokens.clear();
    this.revoked.clear();
  }
}
