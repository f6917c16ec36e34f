import type { StoredTask, TaskFields, TodoList } from '../../../../simulators/graph/todo-store.js';
import type { StoredAppointment } from '../../../../simulators/superoffice/appointment.store.js';
import { makeWorld, type World, type WorldUser } from '../diary/world.js';

/**
 * The task sync's test world: the diary's world (world.ts) with Task on and Diary off for every
 * user, the app consented for Tasks.ReadWrite.All, and levers to act as a user in the CRM's
 * checklist and in Microsoft To Do (the Graph simulator's TodoStore).
 */
export interface TaskWorld extends World {
  checklist: {
    create(user: WorldUser, t: { title: string; date: string; description?: string; completed?: boolean }): StoredAppointment;
    /** The user's checklist rows. */
    list(user: WorldUser): StoredAppointment[];
  };
  todo: {
    /** Our list ("SuperOffice"), or undefined before the first pass. */
    ours(user: WorldUser): TodoList | undefined;
    defaultList(user: WorldUser): TodoList;
    tasks(user: WorldUser): StoredTask[];
    create(user: WorldUser, fields: Partial<TaskFields> & { title: string }): StoredTask;
    edit(user: WorldUser, id: string, fields: Partial<TaskFields>): StoredTask;
    delete(user: WorldUser, id: string): void;
    /** The user drags the task into their default list "Tasks" (its id changes). */
    move(user: WorldUser, id: string): StoredTask;
  };
}

export async function makeTaskWorld(options: { users?: number } = {}): Promise<TaskWorld> {
  const w = await makeWorld({ users: options.users, diary: false, task: true });
  const env = w.h.env;
  const todo = env.graph.control.todo;
  const appointments = env.superoffice.control.appointments;
  const ours = (user: WorldUser) => todo.listsOf(user.mailboxId).find((l) => l.displayName === 'SuperOffice');
  const oursOrThrow = (user: WorldUser) => {
    const l = ours(user);
    if (!l) throw new Error('no list of ours yet');
    return l;
  };
  const task = (user: WorldUser, id: string) => {
    const t = oursOrThrow(user).tasks.get(id);
    if (!t) throw new Error(`no task ${id}`);
    return t;
  };
  return Object.assign(w, {
    checklist: {
      create(user: WorldUser, t: { title: string; date: string; description?: string; completed?: boolean }) {
        appointments.advance(1000);
        return appointments.create(
          {
            Associate: { AssociateId: user.associateId },
            StartDate: `${t.date}T08:00:00Z`,
            EndDate: `${t.date}T08:00:00Z`,
            Type: 'inChecklist',
            Title: t.title,
            Description: t.description ?? '',
            Completed: t.completed ? 'Completed' : 'NotStarted',
          },
          { asAssociateId: user.associateId, contextId: w.tenantId },
        );
      },
      list: (user: WorldUser) => appointments.list(w.tenantId).filter((a) => a.associateId === user.associateId && a.type === 'inChecklist'),
    },
    todo: {
      ours,
      defaultList: (user: WorldUser) => todo.listsOf(user.mailboxId).find((l) => l.wellknownListName === 'defaultList')!,
      tasks: (user: WorldUser) => [...(ours(user)?.tasks.values() ?? [])],
      create: (user: WorldUser, fields: Partial<TaskFields> & { title: string }) => todo.createTask(oursOrThrow(user), fields),
      edit: (user: WorldUser, id: string, fields: Partial<TaskFields>) => todo.updateTask(oursOrThrow(user), task(user, id), fields),
      delete: (user: WorldUser, id: string) => todo.deleteTask(oursOrThrow(user), task(user, id)),
      move: (user: WorldUser, id: string) => todo.moveTask(user.mailboxId, oursOrThrow(user).id, id, todo.listsOf(user.mailboxId).find((l) => l.wellknownListName === 'defaultList')!.id),
    },
  });
}

/** `days` from today as `YYYY-MM-DD` (UTC). */
export function day(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Our tag on a To Do task (its linked resource's externalId). */
export function taskTag(t: StoredTask): string | null {
  return t.linkedResources.find((r) => r.applicationName === 'SuperOffice Mailbox Link')?.externalId ?? null;
}
