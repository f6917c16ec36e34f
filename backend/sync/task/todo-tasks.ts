import { z } from 'zod';
import { DomainError } from '../../domain-error.js';
import { graphFailure, type Graph } from '../../microsoft/graph.client.js';
import { retryAfter, statusOf } from '../diary/outlook-calendar.js';
import type { MailboxLimiter } from '../mailbox-limiter.js';
import { TodoDeltaExpired, TodoListGone, type TaskLink, type TodoDelta, type TodoPort, type TodoTask, type TodoTaskWrite } from './ports.js';

/**
 * One mailbox's Microsoft To Do (Graph docs: api/todo-list-lists, api/todotasklist-list-tasks,
 * api/todotask-delta, api/todotasklist-post-tasks with linkedResources in the body,
 * api/todotask-post-linkedresources), app-only (Tasks.ReadWrite.All), through the mailbox's
 * limiter like the calendar: the same Graph client, the same per-mailbox budget.
 */
const MAX_RETRIES = 3;
const PAGE = 100;

const Time = z.object({ dateTime: z.string(), timeZone: z.string() });
const RawTask = z.object({
  id: z.string(),
  title: z.string().nullish(),
  body: z.object({ content: z.string().nullish(), contentType: z.string().nullish() }).nullish(),
  dueDateTime: Time.nullish(),
  status: z.string().nullish(),
  createdDateTime: z.string(),
  lastModifiedDateTime: z.string(),
  linkedResources: z.array(z.object({ applicationName: z.string().nullish(), externalId: z.string().nullish() })).nullish(),
});
const Removed = z.object({ id: z.string(), '@removed': z.object({}).passthrough() });
const Page = z.object({ value: z.array(z.unknown()), '@odata.nextLink': z.string().optional(), '@odata.deltaLink': z.string().optional() });
const List = z.object({ id: z.string(), displayName: z.string().nullish() });

const unexpected = () => new DomainError('unavailable', 'MicrosoftUnavailable', 'Microsoft 365 answered the To Do request unexpectedly. Try again in a moment.');

const htmlToText = (html: string) => html.replace(/<(br|\/p|\/div)\b[^>]*>/gi, '\n').replace(/<[^>]*>/g, '').replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').trim();

export class TodoTasks implements TodoPort {
  private readonly user: string;

  constructor(
    private readonly graph: Graph,
    mailboxId: string,
    private readonly limiter: MailboxLimiter,
    /** Our linked resources' applicationName: how a task is known as ours. */
    private readonly appName: string,
  ) {
    this.user = `/users/${encodeURIComponent(mailboxId)}/todo/lists`;
  }

  private toTask(raw: unknown, expanded: boolean): TodoTask {
    const parsed = RawTask.safeParse(raw);
    if (!parsed.success) throw unexpected();
    const t = parsed.data;
    const content = t.body?.content ?? '';
    const task: TodoTask = {
      id: t.id,
      title: t.title ?? '',
      body: t.body?.contentType?.toLowerCase() === 'html' ? htmlToText(content) : content,
      due: t.dueDateTime ?? null,
      status: t.status ?? 'notStarted',
      createdDateTime: t.createdDateTime,
      lastModifiedDateTime: t.lastModifiedDateTime,
    };
    if (expanded) task.tag = (t.linkedResources ?? []).find((r) => r.applicationName === this.appName)?.externalId ?? null;
    return task;
  }

  /**
   * One request through the limiter, retried on throttling. A POST is retried only when Graph
   * answered (429/503): a lost answer may have created the task, and To Do takes no transactionId,
   * so the pass finds it by its linked resource instead of posting it twice.
   */
  private async call<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', pathOrUrl: string, body?: unknown): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.limiter.run(() => this.graph.send<T>(method, pathOrUrl, {}, body), 1);
      } catch (err) {
        const wait = retryAfter(err, attempt);
        const answered = statusOf(err) !== undefined && statusOf(err) !== -1;
        if (wait === null || attempt >= MAX_RETRIES || (method === 'POST' && !answered)) throw err;
        this.limiter.pause(wait);
      }
    }
  }

  private checkedLink(link: string): string {
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      throw unexpected();
    }
    if (url.protocol !== 'https:' || url.origin !== this.graph.baseUrl || url.username || url.password) throw unexpected();
    return url.href;
  }

  private listPath(listId: string) {
    return `${this.user}/${encodeURIComponent(listId)}/tasks`;
  }

  async ensureList(name: string): Promise<string> {
    try {
      const filter = encodeURIComponent(`displayName eq '${name.replace(/'/g, "''")}'`);
      const page = Page.parse(await this.call<unknown>('GET', `${this.user}?$filter=${filter}`));
      const found = page.value.map((v) => List.parse(v)).find((l) => l.displayName === name);
      if (found) return found.id;
      return List.parse(await this.call<unknown>('POST', this.user, { displayName: name })).id;
    } catch (err) {
      if (err instanceof z.ZodError) throw unexpected();
      throw graphFailure(err);
    }
  }

  async delta(listId: string, from: { deltaLink: string } | 'fresh'): Promise<TodoDelta> {
    let url = from === 'fresh' ? `${this.listPath(listId)}/delta` : this.checkedLink(from.deltaLink);
    const changed: TodoTask[] = [];
    const removed: string[] = [];
    for (;;) {
      let raw: unknown;
      try {
        raw = await this.call<unknown>('GET', url);
      } catch (err) {
        const code = (err as { code?: unknown } | null)?.code;
        if (statusOf(err) === 410 || code === 'syncStateNotFound') throw new TodoDeltaExpired();
        if (statusOf(err) === 404) throw new TodoListGone();
        throw graphFailure(err);
      }
      const page = Page.safeParse(raw);
      if (!page.success) throw unexpected();
      for (const item of page.data.value) {
        const gone = Removed.safeParse(item);
        if (gone.success) removed.push(gone.data.id);
        else changed.push(this.toTask(item, false));
      }
      const next = page.data['@odata.nextLink'];
      const deltaLink = page.data['@odata.deltaLink'];
      if (next) url = this.checkedLink(next);
      else if (deltaLink) return { changed, removed, deltaLink: this.checkedLink(deltaLink) };
      else throw unexpected();
    }
  }

  async listTasks(listId: string): Promise<TodoTask[]> {
    const out: TodoTask[] = [];
    let url: string | undefined = `${this.listPath(listId)}?$expand=linkedResources&$top=${PAGE}`;
    while (url) {
      let raw: unknown;
      try {
        raw = await this.call<unknown>('GET', url);
      } catch (err) {
        if (statusOf(err) === 404) throw new TodoListGone();
        throw graphFailure(err);
      }
      const page = Page.safeParse(raw);
      if (!page.success) throw unexpected();
      out.push(...page.data.value.map((v) => this.toTask(v, true)));
      url = page.data['@odata.nextLink'] ? this.checkedLink(page.data['@odata.nextLink']) : undefined;
    }
    return out;
  }

  async get(listId: string, id: string): Promise<TodoTask | null> {
    try {
      return this.toTask(await this.call('GET', `${this.listPath(listId)}/${encodeURIComponent(id)}?$expand=linkedResources`), true);
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw graphFailure(err);
    }
  }

  async create(listId: string, write: TodoTaskWrite, link: TaskLink): Promise<TodoTask> {
    try {
      const made = this.toTask(await this.call('POST', this.listPath(listId), { ...write, linkedResources: [link] }), false);
      return { ...made, tag: link.externalId };
    } catch (err) {
      throw graphFailure(err);
    }
  }

  async update(listId: string, id: string, write: TodoTaskWrite): Promise<TodoTask | 'gone'> {
    try {
      return this.toTask(await this.call('PATCH', `${this.listPath(listId)}/${encodeURIComponent(id)}`, write), false);
    } catch (err) {
      if (statusOf(err) === 404) return 'gone';
      throw graphFailure(err);
    }
  }

  async addLink(listId: string, id: string, link: TaskLink): Promise<'ok' | 'gone'> {
    try {
      await this.call('POST', `${this.listPath(listId)}/${encodeURIComponent(id)}/linkedResources`, link);
      return 'ok';
    } catch (err) {
      if (statusOf(err) === 404) return 'gone';
      throw graphFailure(err);
    }
  }

  async delete(listId: string, id: string): Promise<'deleted' | 'gone'> {
    try {
      await this.call('DELETE', `${this.listPath(listId)}/${encodeURIComponent(id)}`);
      return 'deleted';
    } catch (err) {
      if (statusOf(err) === 404) return 'gone';
      throw graphFailure(err);
    }
  }

  async findElsewhere(listId: string, externalId: string): Promise<TodoTask | null> {
    let lists: z.infer<typeof List>[];
    try {
      lists = Page.parse(await this.call<unknown>('GET', this.user)).value.map((v) => List.parse(v));
    } catch (err) {
      if (err instanceof z.ZodError) throw unexpected();
      throw graphFailure(err);
    }
    for (const l of lists) {
      if (l.id === listId) continue;
      const found = (await this.listTasks(l.id)).find((t) => t.tag === externalId);
      if (found) return found;
    }
    return null;
  }
}
