import { html } from 'lit';
import './invite-proposals.js';
import { LinkProposalsEvent, pendingProposals, type InviteProposals } from './invite-proposals.js';
import type { InviteClient } from '../api/api-client.js';
import type { Invite, LinkRef } from '../logic/types.js';
import { deepEqual, equal, ok } from '../test-support/assert.js';
import { expectAccessible } from '../test-support/axe.js';
import { cleanup, fixture, frames, settle } from '../test-support/fixture.js';

const DAY = 86_400_000;
const at = (n: number) => new Date(Date.now() + n * DAY).toISOString();

const invite = (id: number, name: string, extra: Partial<Invite> = {}): Invite => ({
  id: `inv-${id}`,
  associateId: id,
  associateName: name,
  email: `${id}@example.com`,
  state: 'accepted',
  delivery: 'email',
  allowOtherMailbox: false,
  linkOnAccept: false,
  createdAt: at(-3),
  createdBy: 'Ada Admin',
  expiresAt: at(11),
  sentAt: at(-3),
  acceptedAt: at(-1),
  acceptedMailbox: { id: `mbx-${id}`, address: `${id}@m365.example` },
  acceptedOtherMailbox: false,
  outcome: { kind: 'proposed', detail: null },
  revokedAt: null,
  sendError: null,
  ...extra,
});

const INVITES: Invite[] = [
  invite(1, 'Bo Berg'),
  invite(2, 'Ada Aas', { acceptedOtherMailbox: true, allowOtherMailbox: true }),
  invite(3, 'Cy Linked', { outcome: { kind: 'linked', detail: null } }),
  invite(4, 'Di Revoked', { state: 'revoked' }),
  invite(5, 'Eve Open', { state: 'invited', acceptedAt: null, acceptedMailbox: null, outcome: null }),
  invite(6, 'Fay Elsewhere', { outcome: { kind: 'associate_linked', detail: 'fay.old@m365.example' } }),
];

class FakeApi implements Pick<InviteClient, 'invites'> {
  calls = 0;
  list = INVITES;
  invites = async () => {
    this.calls += 1;
    return this.list;
  };
}

async function mount(existing: LinkRef[] = [], lang: 'en' | 'nb' = 'en') {
  const api = new FakeApi();
  const got: LinkRef[][] = [];
  const el = await fixture<InviteProposals>(
    html`<so-invite-proposals
      lang=${lang}
      active
      .api=${api as unknown as InviteClient}
      .existing=${existing}
      @link-proposals=${(e: LinkProposalsEvent) => got.push(e.links)}
    ></so-invite-proposals>`,
    { width: 1024, height: 700 },
  );
  while (api.calls === 0) await frames(1);
  await settle(el);
  return { el, api, got };
}

const root = (el: InviteProposals) => el.shadowRoot!;
const items = (el: InviteProposals) => [...root(el).querySelectorAll('li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());

describe('so-invite-proposals', () => {
  afterEach(() => cleanup());

  it('proposes each accepted invite still to be linked, by name, and nothing already linked, revoked or open', async () => {
    const { el } = await mount([{ associateId: 9, associateName: 'Someone', mailboxId: 'mbx-1', mailboxAddress: '1@m365.example' }]);
    // Bo's mailbox is linked to someone else already (unsaved or saved): not proposed again.
    deepEqual(items(el), ['Ada Aas → 2@m365.example (another mailbox than invited)']);
    equal(root(el).querySelector('h2')!.textContent, 'Accepted invites: 1 link proposed');
    await expectAccessible(el);
  });

  it('turns the ticked proposals into unsaved links; an unticked one stays out', async () => {
    const { el, got } = await mount();
    deepEqual(items(el), ['Ada Aas → 2@m365.example (another mailbox than invited)', 'Bo Berg → 1@m365.example']);
    root(el).querySelector<HTMLInputElement>('input[data-associate="2"]')!.click();
    await settle(el);
    root(el).querySelector<HTMLButtonElement>('[data-action="addProposals"]')!.click();
    await settle(el);
    deepEqual(got, [[{ associateId: 1, associateName: 'Bo Berg', mailboxId: 'mbx-1', mailboxAddress: '1@m365.example' }]]);
    equal(root(el).querySelector('[role="status"][data-for="proposals"]')!.textContent, 'Added 1 link (unsaved until Save Added Users).');
    await expectAccessible(el);
  });

  it('refuses to add with nothing ticked, and speaks Norwegian', async () => {
    const { el, got } = await mount([], 'nb');
    equal(root(el).querySelector('h2')!.textContent, 'Godtatte invitasjoner: 2 koblinger foreslått');
    for (const box of root(el).querySelectorAll<HTMLInputElement>('input[type="checkbox"]')) box.click();
    await settle(el);
    root(el).querySelector<HTMLButtonElement>('[data-action="addProposals"]')!.click();
    await settle(el);
    deepEqual(got, []);
    equal(root(el).querySelector('[role="alert"][data-for="proposals"]')!.textContent, 'Kryss av minst ett forslag.');
    await expectAccessible(el);
  });

  it('renders nothing while inactive, and reads the invites again when it becomes active', async () => {
    const { el, api } = await mount();
    el.active = false;
    await settle(el);
    equal(root(el).querySelector('section'), null);
    el.active = true;
    while (api.calls < 2) await frames(1);
    await settle(el);
    ok(root(el).querySelector('section'));
  });

  it('pendingProposals: the proposed, accepted ones not linked on either side, by name', () => {
    deepEqual(pendingProposals(INVITES, []).map((p) => p.link.associateId), [2, 1]);
    deepEqual(pendingProposals(INVITES, [{ associateId: 2, associateName: 'Ada Aas', mailboxId: 'mbx-x', mailboxAddress: 'x@y' }]).map((p) => p.link.associateId), [1]);
  });
});
