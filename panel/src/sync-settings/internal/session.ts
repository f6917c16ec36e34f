import { PanelApiError, type PanelClient } from '../../api/api-client.js';
import type { PopupMessage } from '../../api/popup.js';
import type { Runner } from '../../controls/action-runner.js';
import { PanelController } from '../../controls/panel-controller.js';

export type SessionAction = 'signIn';

/** Who is signed in. */
export interface User {
  name: string;
  isAdmin: boolean;
}

export interface SessionOptions {
  api: () => PanelClient;
  popup: () => (url: string | Promise<string>) => Promise<PopupMessage>;
  /** The SuperOffice tenant (`ctx`) the panel was opened for. */
  tenant: () => string;
  runner: Runner<SessionAction>;
  /** Says that the session ended, next to "Sign in". */
  endedText: () => string;
}

/** The backend no longer knows our session (expired, or ended elsewhere). */
export const sessionEnded = (err: unknown): boolean =>
  err instanceof PanelApiError && err.status === 401 && (err.code === 'InvalidSession' || err.code === 'Unauthenticated');

/**
 * The panel's sign-in: through the SuperOffice popup, or with the onsite ticket in the URL; and
 * back to "Sign in" when the backend says our session ended (the host keeps its unsaved work).
 */
export class Session extends PanelController<SessionOptions> {
  /** Null while signed out. */
  user: User | null = null;

  get isAdmin(): boolean {
    return this.user?.isAdmin === true;
  }

  private signedIn(user: User | null): void {
    this.user = user;
    this.host.requestUpdate();
  }

  signIn = (): Promise<void> =>
    this.o.runner.run('signIn', async () => {
      const m = await this.o.popup()(`/auth/superoffice/start?tenant=${encodeURIComponent(this.o.tenant())}`);
      if (m.type !== 'mailbox-link:signed-in') return;
      this.o.api().useToken(m.token);
      this.signedIn({ name: m.name, isAdmin: m.isAdmin });
    });

  signInWithTicket(ticket: string): Promise<void> {
    return this.o.runner.run('signIn', async () => {
      const r = await this.o.api().signInWithTicket(ticket, this.o.tenant() || undefined);
      this.signedIn({ name: r.name, isAdmin: r.isAdmin });
    });
  }

  /** Signs out and says why when `err` means our session ended; false for any other error. */
  endedBy(err: unknown): boolean {
    if (!sessionEnded(err)) return false;
    this.o.api().useToken(null);
    this.signedIn(null);
    this.o.runner.say('signIn', this.o.endedText(), true);
    return true;
  }
}
