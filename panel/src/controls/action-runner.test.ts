import { render } from 'lit';
import { PanelApiError } from '../api/api-client.js';
import { deepEqual, equal, ok } from '../test-support/assert.js';
import { ActionRunner } from './action-runner.js';

/** A host that only counts the updates it is asked for. */
class Host {
  updates = 0;
  addController(): void {}
  removeController(): void {}
  requestUpdate(): void {
    this.updates++;
  }
  get updateComplete(): Promise<boolean> {
    return Promise.resolve(true);
  }
}

const shown = (runner: ActionRunner<string>, action: string) => {
  const div = document.createElement('div');
  render(runner.message(action), div);
  const p = div.querySelector('p');
  return p ? { role: p.getAttribute('role'), for: p.dataset['for'], text: p.textContent } : null;
};

describe('ActionRunner', () => {
  it('runs one action at a time, marks it busy, and shows what it says next to its button', async () => {
    const host = new Host();
    const runner = new ActionRunner<string>(host, { clears: 'own' });
    let release!: () => void;
    const first = runner.run('save', () => new Promise<void>((r) => (release = r)).then(() => runner.say('save', 'Saved.')));
    equal(runner.busy, 'save');
    ok(!runner.idle);
    let ranSecond = false;
    await runner.run('load', () => {
      ranSecond = true;
    });
    ok(!ranSecond, 'a second action does not start while one runs');
    release();
    await first;
    equal(runner.busy, null);
    deepEqual(shown(runner, 'save'), { role: 'status', for: 'save', text: 'Saved.' });
    equal(shown(runner, 'load'), null);
    ok(host.updates > 0, 'the host re-renders');
  });

  it('shows a thrown error as an alert with the backend message and details', async () => {
    const runner = new ActionRunner<string>(new Host(), { clears: 'own' });
    await runner.run('save', () => {
      throw new PanelApiError(409, 'AlreadyLinked', 'Already linked.', [{ message: 'Associate 1 has a link.' }]);
    });
    deepEqual(shown(runner, 'save'), { role: 'alert', for: 'save', text: 'Already linked. Associate 1 has a link.' });
    equal(runner.busy, null, 'idle again after a failure');
  });

  it('clears only its own old message, or all of them, as the host chose; a custom fail hook decides what an error shows', async () => {
    const own = new ActionRunner<string>(new Host(), { clears: 'own' });
    own.say('a', 'A done.');
    own.say('b', 'B done.');
    await own.run('a', () => {});
    deepEqual(Object.keys(own.messages), ['b']);

    const failed: [string, unknown][] = [];
    const all = new ActionRunner<string>(new Host(), { clears: 'all', fail: (action, err) => failed.push([action, err]) });
    all.say('a', 'A done.');
    all.say('b', 'B done.');
    const boom = new Error('boom');
    await all.run('a', () => {
      throw boom;
    });
    deepEqual(Object.keys(all.messages), [], 'one outcome at a time');
    equal(failed.length, 1);
    equal(failed[0]![0], 'a');
    equal(failed[0]![1], boom);
  });

  it('passing: a new action replaces the passing messages of all, keeps sticky ones until dismissed, and clears what its success made stale', async () => {
    const runner = new ActionRunner<string>(new Host(), {
      clears: 'passing',
      stales: { save: ['link', 'propose'] },
      dismissLabel: () => 'Dismiss',
    });
    runner.say('load', 'Loaded 4 users.');
    runner.say('link', 'Linked Ada (unsaved until Save).');
    runner.say('propose', '3 links proposed (unsaved until Save).', false, true);
    runner.say('mode', 'Switched mode. Load again.', false, true);
    runner.say('check', 'Microsoft 365 refused.', true);
    await runner.run('other', () => runner.say('other', 'Done.'));
    deepEqual(Object.keys(runner.messages).sort(), ['check', 'mode', 'other', 'propose'], 'passing ones go, sticky ones and errors stay');

    // A save refused (its own error) makes nothing stale.
    await runner.run('save', () => runner.say('save', 'Nothing was saved.', true));
    ok(runner.messages['propose'], 'still unsaved: the proposal stays');
    await runner.run('save', () => runner.say('save', 'Saved 3 linked users.'));
    equal(runner.messages['propose'], undefined, 'saved: "unsaved until Save" is no longer true');
    equal(runner.messages['link'], undefined);
    ok(runner.messages['mode'] && runner.messages['check'], 'what the save did not answer stays');

    // Sticky messages carry Dismiss, described by their text; passing ones do not.
    const div = document.createElement('div');
    render(runner.message('check'), div);
    const dismiss = div.querySelector<HTMLButtonElement>('button[data-dismiss="check"]')!;
    equal(dismiss.textContent, 'Dismiss');
    equal(div.querySelector(`#${dismiss.getAttribute('aria-describedby')}`)!.textContent, 'Microsoft 365 refused.');
    equal(div.querySelector('[role="alert"][data-for="check"]')!.textContent, 'Microsoft 365 refused.', 'the alert holds only the message');
    dismiss.click();
    equal(runner.messages['check'], undefined, 'dismissed');
    render(runner.message('save'), div);
    equal(div.querySelector('button'), null, 'a passing message has no Dismiss');
  });

  it('does not start until the host is ready', async () => {
    let ready = false;
    const runner = new ActionRunner<string>(new Host(), { clears: 'all', ready: () => ready });
    let runs = 0;
    await runner.run('a', () => void runs++);
    equal(runs, 0);
    ready = true;
    await runner.run('a', () => void runs++);
    equal(runs, 1);
  });
});
