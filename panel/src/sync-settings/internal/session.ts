import { PanelApiError, errorText, type PanelClient } from '../../api/api-client.js';
import { PopupError, type PopupMessage } from '../../api/popup.js';
import type { SessionStore } from '../../api/session-store.js';
import type { Runner } from '../../controls/action-runner.js';
import { PanelController } from '../../controls/panel-controller.js';

export type SessionAction = 'signIn' | 'signOut';

/** Who is signed in. */
export interface User {
  name: string;
  isAdmin: boolean;
}

type SignInWindow = (url: string | Promise<string>) => Promise<PopupMessage>;

export interface SessionOptions {
  api: () => PanelClient;
  popup: () => SignInWindow;
  /** Signs in in a hidden frame (OpenID Connect `prompt=none`); rejects when SuperOffice wants the user. */
  silent: () => (url: string) => Promise<PopupMessage>;
  store: () => SessionStore;
  /** The SuperOffice tenant (`ctx`) the panel was opened for. */
  tenant: () => string;
  runner: Runner<SessionAction>;
  strings: () => { sessionEnded: string; signedOut: (discarded: number) => string; signInWindow: string };
  /**
   * Sign out: the host forgets the work of the session (unsaved links and edits, the loaded
   * mailboxes), so whoever signs in next in this tab does not save it; how many unsaved changes went.
   */
  signedOut: () => number;
}

/** The backend no longer knows our session (expired, or ended elsewhere). */
export const sessionEnded = (err: unknown): boolean =>
  err instanceof PanelApiError && err.status === 401 && (err.code === 'InvalidSession' || err.code === 'Unauthenticated');

/**
 * The panel's sign-in: the session kept for this tab (a reload stays signed in), else a silent
 * sign-in when SuperOffice's own sign-in session is alive, else the SuperOffice popup, or the
 * onsite ticket in the URL; Sign out; and back to "Sign in" when the backend says our session
 * ended (the host keeps its unsaved work).
 */
export class Session extends PanelController<SessionOptions> {
  /** Null while signed out. */
  user: User | null = null;
  /** The last silent sign-in failed: the next Sign in opens the window at once. */
  private silentFailed = false;

  get isAdmin(): boolean {
    return this.user?.isAdmin === true;
  }

  private signedIn(user: User | null): void {
    this.user = user;
    this.host.requestUpdate();
  }

  private startUrl(silent: boolean): string {
    return `/auth/superoffice/start?tenant=${encodeURIComponent(this.o.tenant())}${silent ? '&prompt=none' : ''}`;
  }

  private accept(m: PopupMessage): void {
    if (m.type !== 'mailbox-link:signed-in') return;
    this.o.api().useToken(m.token);
    this.o.store().save(this.o.tenant(), { token: m.token, expiresAt: m.expiresAt, name: m.name, isAdmin: m.isAdmin });
    this.silentFailed = false;
    this.signedIn({ name: m.name, isAdmin: m.isAdmin });
  }

  /** A silent sign-in; false (and nothing said) when SuperOffice wants the user to sign in. */
  private async trySilent(): Promise<boolean> {
    try {
      this.accept(await this.o.silent()(this.startUrl(true)));
      return true;
    } catch (err) {
      if (!(err instanceof PopupError)) throw err;
      this.silentFailed = true;
      return false;
    }
  }

  /**
   * When the panel opens: the tab's stored session if the backend still knows it, else (unless
   * the administrator signed out in this tab) a silent sign-in. A stale session or a silent
   * sign-in SuperOffice refuses just leaves the panel signed out, with nothing to read.
   */
  restore(): Promise<void> {
    return this.o.runner.run('signIn', async () => {
      const tenant = this.o.tenant();
      const stored = this.o.store().load(tenant);
      if (stored) {
        const api = this.o.api();
        api.useToken(stored.token);
        try {
          const who = await api.session();
          this.signedIn({ name: who.associateName, isAdmin: who.isAdmin });
          return;
        } catch (err) {
          api.useToken(null);
          this.o.store().discard(tenant);
          if (!sessionEnded(err)) throw err;
        }
      }
      if (!this.o.store().signedOut(tenant)) await this.trySilent();
    });
  }

  /** Sign in: silently first, the popup when SuperOffice wants the user. */
  signIn = (): Promise<void> =>
    this.o.runner.run('signIn', async () => {
      const activation = (navigator as Navigator & { userActivation?: { isActive: boolean } }).userActivation;
      const active = activation?.isActive === true;
      const triedSilent = !this.silentFailed;
      if (triedSilent && (await this.trySilent())) return;
      // A popup needs the click's user activation (about 5 s in Chromium); a slow silent attempt
      // may have used it up, and the popup would be blocked: the next click opens it at once.
      if (triedSilent && active && !activation!.isActive) {
        this.o.runner.say('signIn', this.o.strings().signInWindow);
        return;
      }
      this.accept(await this.o.popup()(this.startUrl(false)));
    });

  signInWithTicket(ticket: string): Promise<void> {
    return this.o.runner.run('signIn', async () => {
      const r = await this.o.api().signInWithTicket(ticket, this.o.tenant() || undefined);
      this.o.store().save(this.o.tenant(), { token: r.token, expiresAt: r.expiresAt, name: r.name, isAdmin: r.isAdmin });
      this.signedIn({ name: r.name, isAdmin: r.isAdmin });
    });
  }

  /**
   * Sign out: the backend ends the session (DELETE /session), the tab forgets it and remembers
   * that the administrator signed out, so the next load does not sign in again by itself.
   */
  signOut = (): Promise<void> =>
    this.o.runner.run('signOut', async () => {
      const api = this.o.api();
      let failure: unknown = null;
      await api.signOut().catch((err: unknown) => {
        if (!sessionEnded(err)) failure = err;
      });
      this.o.store().signOut(this.o.tenant());
      api.useToken(null);
      const discarded = this.o.signedOut();
      this.signedIn(null);
      // SuperOffice's own sign-in session lives on: Sign in tries the silent way again.
      this.silentFailed = false;
      this.o.runner.say('signIn', failure === null ? this.o.strings().signedOut(discarded) : errorText(failure), failure !== null);
    });

  /** Signs out and says why when `err` means our session ended; false for any other error. */
  endedBy(err: unknown): boolean {
    if (!sessionEnded(err)) return false;
    this.o.api().useToken(null);
    this.o.store().discard(this.o.tenant());
    this.signedIn(null);
    this.o.runner.say('signIn', this.o.strings().sessionEnded, true);
    return true;
  }
}
