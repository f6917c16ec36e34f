import { html, nothing, type TemplateResult } from 'lit';
import { errorText, type PanelClient } from '../api/api-client.js';
import { PanelController } from './panel-controller.js';

/** What an action last said: shown next to its button, or in its slot of the panel's feedback area. */
export interface ActionMessage {
  text: string;
  error: boolean;
  /** Stays (with a Dismiss button) until dismissed, the action runs again, or an action makes it stale. */
  sticky: boolean;
}

/** What a controller needs of its host's runner: its own actions, and whether any action is running. */
export interface Runner<A extends string> {
  readonly busy: string | null;
  run(action: A, work: () => Promise<void> | void): Promise<void>;
  /** Replaces the action's message. Errors are sticky unless told otherwise; results that ask for more work pass `sticky`. */
  say(action: A, text: string, error?: boolean, sticky?: boolean): void;
  clear(...actions: A[]): void;
  message(action: A): TemplateResult | typeof nothing;
}

/** What most of the panel's controllers take from their host: the API client, its strings, its runner. */
export interface HostDeps<S, A extends string, C = PanelClient> {
  /** The API client, or the part of it the host uses. */
  api: () => C;
  strings: () => S;
  runner: Runner<A>;
}

export interface ActionRunnerOptions<A extends string> {
  /**
   * Which old messages a new action clears: only its own; all of them (one list, one outcome at a
   * time); or `passing`: its own and every other action's passing (not sticky) message, so the
   * panel's feedback area holds the latest outcome and what still asks for attention.
   */
  clears: 'own' | 'all' | 'passing';
  /**
   * What an action's success makes stale: when it ends without an error message, the messages
   * of these actions are cleared (sticky or not), e.g. Save Added Users makes "unsaved until
   * Save Added Users" untrue.
   */
  stales?: Partial<Record<A, readonly A[]>>;
  /** The Dismiss button's label on sticky messages; without it, sticky messages have none. */
  dismissLabel?: () => string;
  /** Whether an action may start now (e.g. the API client has arrived). Default: always. */
  ready?: () => boolean;
  /** Shows a thrown error; default: the error's text as an alert next to the action's button. */
  fail?: (action: A, err: unknown) => void;
}

/**
 * Runs an element's actions one at a time: marks the running one busy, clears old messages, and
 * shows what the action says (or the error it throws) next to its button. Each action has one
 * message, which its next one replaces; sticky ones (errors, results that ask for action) can
 * carry a Dismiss button. Both the panel shell and the Token Authentication Manager run their
 * buttons through one of these.
 */
export class ActionRunner<A extends string> extends PanelController<ActionRunnerOptions<A>> implements Runner<A> {
  /** The action running now; null when idle. */
  busy: A | null = null;
  messages: Readonly<Partial<Record<A, ActionMessage>>> = {} as Partial<Record<A, ActionMessage>>;

  get idle(): boolean {
    return this.busy === null;
  }

  say(action: A, text: string, error = false, sticky = error): void {
    this.messages = { ...this.messages, [action]: { text, error, sticky } };
    this.host.requestUpdate();
  }

  clear(...actions: A[]): void {
    const next = { ...this.messages };
    for (const a of actions) delete next[a];
    this.messages = next;
    this.host.requestUpdate();
  }

  /** Runs one action unless another is running; a thrown error becomes the action's message. */
  async run(action: A, work: () => Promise<void> | void): Promise<void> {
    if (this.busy || this.o.ready?.() === false) return;
    this.busy = action;
    if (this.o.clears === 'own') this.clear(action);
    else this.keep((a, m) => a !== action && this.o.clears === 'passing' && m.sticky);
    try {
      await work();
      if (!this.messages[action]?.error) this.clear(...(this.o.stales?.[action] ?? []));
    } catch (err) {
      if (this.o.fail) this.o.fail(action, err);
      else this.say(action, errorText(err), true);
    } finally {
      this.busy = null;
      this.host.requestUpdate();
    }
  }

  private keep(keep: (action: A, m: ActionMessage) => boolean): void {
    const entries = Object.entries(this.messages) as [A, ActionMessage][];
    this.messages = Object.fromEntries(entries.filter(([a, m]) => keep(a, m))) as Partial<Record<A, ActionMessage>>;
    this.host.requestUpdate();
  }

  /** The action's message: an alert when it is an error, else a status; sticky ones with Dismiss. */
  message(action: A): TemplateResult | typeof nothing {
    const m = this.messages[action];
    if (!m) return nothing;
    const id = `message-${action}`;
    const p = m.error
      ? html`<p role="alert" id=${id} data-for=${action}>${m.text}</p>`
      : html`<p class="status" role="status" id=${id} data-for=${action}>${m.text}</p>`;
    const dismiss = this.o.dismissLabel;
    if (!m.sticky || !dismiss) return p;
    return html`<div class="message" data-message=${action}>
      ${p}<button type="button" class="dismiss" data-dismiss=${action} aria-describedby=${id} @click=${() => this.clear(action)}>${dismiss()}</button>
    </div>`;
  }
}
