import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { SecretBox } from '../../../backend/security/secret-box.js';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  test('round-trips and never shows the plain text', () => {
    const sealed = box.seal('KSam-refresh-token', 'Cust1/5');
    assert.ok(!sealed.includes('KSam'));
    assert.notEqual(sealed, box.seal('KSam-refresh-token', 'Cust1/5'), 'a fresh IV every time');
    assert.equal(box.open(sealed, 'Cust1/5'), 'KSam-refresh-token');
  });

  test('refuses a value moved to another context, altered, or sealed under another key', () => {
    const sealed = box.seal('secret', 'Cust1/5');
    assert.throws(() => box.open(sealed, 'Cust1/6'));
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    assert.throws(() => box.open(parts.join('.'), 'Cust1/5'));
    assert.throws(() => new SecretBox(randomBytes(32)).open(sealed, 'Cust1/5'));
    assert.throws(() => box.open('plain', 'Cust1/5'), /not a sealed value/);
  });

  test('reads the key from hex or base64 and insists on 32 bytes', () => {
    const key = randomBytes(32);
    const a = SecretBox.fromSetting(key.toString('hex'));
    const b = SecretBox.fromSetting(key.toString('base64'));
    assert.equal(b.open(a.seal('x', 'c'), 'c'), 'x');
    assert.throws(() => SecretBox.fromSetting(randomBytes(16).toString('base64')), /32 bytes/);
  });
});
