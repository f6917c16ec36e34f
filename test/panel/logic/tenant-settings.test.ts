import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { otherMode, parseTtlDays } from '../../../panel/src/logic/tenant-settings.js';

describe('tenant settings in the panel', () => {
  test('an invite lifetime is a whole number of days from 1 to 365, spaces around allowed', () => {
    assert.equal(parseTtlDays('1'), 1);
    assert.equal(parseTtlDays(' 30 '), 30);
    assert.equal(parseTtlDays('365'), 365);
    for (const bad of ['0', '366', '1.5', '', ' ', '-3', '1e2', '0x10', '7 days', '1000']) assert.equal(parseTtlDays(bad), null, JSON.stringify(bad));
  });

  test('the mode button switches to the other mode', () => {
    assert.equal(otherMode('application'), 'oauth');
    assert.equal(otherMode('oauth'), 'application');
  });
});
