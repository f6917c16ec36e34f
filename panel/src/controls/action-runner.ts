import { html, nothing, type TemplateResult } from 'lit';
import { errorText, type PanelClient } from '../api/api-client.js';
import { PanelController } from './panel-controller.js';

/** What an action last said: shown next to its button. */
export interface ActionMessage {
  text: string;
  error: boolean;
}

/** What a controller needs of its host's runner: its own actions, and whether any action is running. */
export interface Runner<A extends string> {
  readonly busy: string | null;
  run(action: A, work: () => Promise<void> | void): Promise<void>;
  say(action: A, text: string, error?: boolean): void;
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
   * Which old messages a new action clears: only its own (the panel's toolbar, where outcomes of
   * different actions stand side by side) or all of them (one list, one outcome at a time).
   */
  clears: 'own' | 'all';
  /** Whether an action may start now (e.g. the API client has arrived). Default: always. */
  ready?: () => boolean;
  /** Shows a thrown error; default: the error's text as an alert next to the action's button. */
  fail?: (action: A, err: unknown) => void;
}

/**
 * Runs an element's actions one at a time: marks the running one busy, clears old messages, and
 * shows what the action says (or the error it throws) next to its button. Both the panel shell and
 * the Token Authentication Manager run their buttons through one of these.
 */
export class ActionRunner<A extends string> extends PanelController<ActionRunnerOptions<A>> implements Runner<A> {
  /** The action running now; null when idle. */
  busy: A | null = null;
  messages: Readonly<Partial<Record<A, ActionMessage>>> = {} as Partial<Record<A, ActionMessage>>;

  get idle(): boolean {
    return this.busy === null;
  }

  say(action: A, text: string, error = false): void {
    this.messages = { ...this.messages, [action]: { text, error } };
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
    if (this.o.clears === 'all') {
      this.messages = {} as Partial<Record<A, ActionMessage>>;
      this.host.requestUpdate();
    } else {
      this.clear(action);
    }
    try {
      await work();
    } catch (err) {
      if (this.o.fail) this.o.fail(action, err);
      else this.say(action, errorText(err), true);
    } finally {
      this.busy = null;
      this.host.requestUpdate();
    }
  }

  /** The action's message: an alert when it is an error, else a status. */
  message(action: A): TemplateResult | typeof nothing {
    const m = this.messages[action];
    if (!m) return nothing;
    return m.error
      ? html`<p role="alert" data-for=${action}>${m.text}</p>`
      : html`<p class="status" role="status" data-for=${action}>${m.text}</p>`;
  }
}
