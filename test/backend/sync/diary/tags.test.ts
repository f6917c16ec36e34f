import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { graphRefOf, parseTag, TAG_PROPERTY_ID, tagOf } from '../../../../backend/sync/diary/fields.js';

describe('tags', () => {
  test("the event property is a String named SoRef under our own GUID, in Graph's id form", () => {
    assert.match(TAG_PROPERTY_ID, /^String \{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\} Name SoRef$/);
  });

  test('a tag names the tenant and the appointment, and parses back', () => {
    assert.equal(tagOf('Cust12345', 4039840), 'Cust12345/appointment/4039840');
    assert.equal(parseTag(tagOf('Cust12345', 4039840), 'Cust12345'), 4039840);
  });

  test('Graph matches values ignoring case, so a tag in another case is still ours', () => {
    assert.equal(parseTag('cust12345/APPOINTMENT/77', 'Cust12345'), 77);
  });

  test("another tenant's tag, another kind and garbage are not ours", () => {
    for (const tag of [
      'Cust99999/appointment/77', 'Cust123456/appointment/77', 'Cust1234/appointment/77', 'Cust12345/task/77', 'Cust12345/appointment/',
      'Cust12345/appointment/0', 'Cust12345/appointment/-4', 'Cust12345/appointment/7.5', 'Cust12345/appointment/77 ', 'Cust12345/appointment/77/1',
      'Cust12345/appointment/1e3', 'Cust12345/appointment/99999999999999999999', '', 'garbage',
    ]) {
      assert.equal(parseTag(tag, 'Cust12345'), null, tag);
    }
  });

  test('graphRef is base64url(sha256(id)): 43 URL-safe characters, fits a ForeignSystem key, one per id', () => {
    const id = 'AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0AAAA+/==long-immutable-id';
    const ref = graphRefOf(id);
    assert.equal(ref, createHash('sha256').update(id).digest('base64url'));
    assert.match(ref, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(graphRefOf(`${id}x`), ref);
    assert.equal(graphRefOf(id), ref);
  });
});
