import { equal, ok, deepEqual } from '../test-support/assert.js';
import { memoryStorage } from '../test-support/memory-storage.js';
import { SessionStore, type StoredSession } from './session-store.js';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const session = (over: Partial<StoredSession> = {}): StoredSession => ({
  token: `sls_${'a'.repeat(43)}`,
  expiresAt: '2026-12-02T20:00:00.000Z',
  name: 'Ada Admin',
  isAdmin: true,
  ...over,
});

describe('SessionStore', () => {
  it('keeps the session per tenant (any letter case) until it expires', () => {
    const storage = memoryStorage();
    let now = NOW;
    const store = new SessionStore(storage, () => now);
    store.save('Cust1', session());
    deepEqual(store.load('CUST1'), session());
    equal(store.load('Cust2'), null, 'another tenant has its own');
    now = Date.parse('2026-12-02T20:00:00Z');
    equal(store.load('Cust1'), null, 'expired');
    equal(storage.map.size, 0, 'an expired session is discarded');
  });

  it('discards what it cannot trust: malformed JSON, a token of another shape, missing fields', () => {
    const storage = memoryStorage();
    const store = new SessionStore(storage, () => NOW);
    for (const raw of ['{', 'null', JSON.stringify({ ...session(), token: 'Bearer x' }), JSON.stringify({ ...session(), isAdmin: 'yes' }), JSON.stringify({ ...session(), expiresAt: 'soon' })]) {
      storage.setItem('mailbox-link:session:cust1', raw);
      equal(store.load('Cust1'), null, raw);
      equal(storage.getItem('mailbox-link:session:cust1'), null, `${raw} is removed`);
    }
  });

  it('Sign out forgets the session and marks the tab signed out; the next sign-in clears the mark', () => {
    const store = new SessionStore(memoryStorage(), () => NOW);
    store.save('Cust1', session());
    store.signOut('Cust1');
    equal(store.load('Cust1'), null);
    ok(store.signedOut('Cust1'));
    ok(!store.signedOut('Cust2'), 'only that tenant');
    store.save('Cust1', session());
    ok(!store.signedOut('Cust1'));
  });

  it('never throws where storage is blocked: the session then lives in memory only', () => {
    const store = new SessionStore(memoryStorage(true), () => NOW);
    store.save('Cust1', session());
    equal(store.load('Cust1'), null);
    store.signOut('Cust1');
    ok(!store.signedOut('Cust1'));
    const none = new SessionStore(null, () => NOW);
    none.save('Cust1', session());
    equal(none.load('Cust1'), null);
  });
});
