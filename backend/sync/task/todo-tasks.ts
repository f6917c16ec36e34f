import { z } from 'zod';
import { DomainError } from '../../domain-error.js';
import { graphFailure } from '../../microsoft/graph.client.js';
import type { GraphSender } from '../graph-usage.js';
import { MailboxGraph, Page, statusOf } from '../mailbox-graph.js';
import type { MailboxLimiter } from '../mailbox-limiter.js';
import { TodoDeltaExpired, TodoListGone, type TaskLink, type TodoDelta, type TodoPort, type TodoTask, type TodoTaskWrite } from './ports.js';

/**
 * One mailbox's Microsoft To Do (Graph docs: api/todo-list-lists, api/todotasklist-list-tasks,
 * api/todotask-delta, api/todotasklist-post-tasks with linkedResources in the body,
 * api/todotask-post-linkedresources), app-only (Tasks.ReadWrite.All), through the mailbox's
 * limiter like the calendar: the same Graph client, the same per-mailbox budget.
 */
const PAGE = 100;

const Time = z.object({ dateTime: z.string(), timeZone: z.string() });
const RawTask = z.object({
  id: z.string(),
  title: z.string().nullish(),
  body: z.object({ content: z.string().nullish(), contentType: z.string().nullish() }).nullish(),
  dueDateTime: Time.nullish(),
  status: z.string().nullish(),
  isReminderOn: z.boolean().nullish(),
  reminderDateTime: Time.nullish(),
  createdDateTime: z.string(),
  lastModifiedDateTime: z.string(),
  linkedResources: z.array(z.object({ applicationName: z.string().nullish(), externalId: z.string().nullish() })).nullish(),
});
const List = z.object({ id: z.string(), displayName: z.string().nullish() });

const unexpected = () => new DomainError('unavailable', 'MicrosoftUnavailable', 'Microsoft 365 answered the To Do request unexpectedly. Try again in a moment.');

const htmlToText = (html: string) => html.replace(/<(br|\/p|\/div)\b[^>]*>/gi, '\n').replace(/<[^>]*>/g, '').replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').trim();

export class TodoTasks implements TodoPort {
  private readonly user: string;
  private readonly http: MailboxGraph;

  constructor(
    graph: GraphSender,
    mailboxId: string,
    limiter: MailboxLimiter,
    /** Our linked resources' applicationName: how a task is known as ours. */
    private readonly appName: string,
  ) {
    this.user = `/users/${encodeURIComponent(mailboxId)}/todo/lists`;
    this.http = new MailboxGraph(graph, limiter, unexpected);
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
      reminder: t.isReminderOn && t.reminderDateTime ? t.reminderDateTime : null,
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
  private call<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', pathOrUrl: string, body?: unknown): Promise<T> {
    return this.http.call<T>(method, pathOrUrl, body, { repeatable: method !== 'POST' });
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

  delta(listId: string, from: { deltaLink: string } | 'fresh'): Promise<TodoDelta> {
    return this.http.delta(from === 'fresh' ? `${this.listPath(listId)}/delta` : this.http.checkedLink(from.deltaLink), {
      item: (raw) => this.toTask(raw, false),
      expired: () => new TodoDeltaExpired(),
      gone: () => new TodoListGone(),
    });
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
      url = page.data['@odata.nextLink'] ? this.http.checkedLink(page.data['@odata.nextLink']) : undefined;
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

  /** The mailbox's other To Do lists (by name, at most `max`), for "why didn't this sync?": the passes read only ours. */
  async otherLists(listId: string, max: number): Promise<{ id: string; name: string }[]> {
    try {
      const lists = Page.parse(await this.call<unknown>('GET', this.user)).value.map((v) => List.parse(v));
      return lists.filter((l) => l.id !== listId).slice(0, max).map((l) => ({ id: l.id, name: l.displayName ?? '' }));
    } catch (err) {
      if (err instanceof z.ZodError) throw unexpected();
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
