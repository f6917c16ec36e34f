import { equal } from '../test-support/assert.js';
import { formatCount, langFromLani, pick } from './locale.js';

describe('locale', () => {
  it('picks Norwegian bokmål from any Norwegian <lani>, English otherwise', () => {
    for (const lani of ['nb', 'no', 'nn', 'NO', 'nb-NO', 'no_NO']) equal(langFromLani(lani), 'nb', lani);
    for (const lani of ['en', 'en-US', 'sv', 'de', '', '<lani>', null, undefined]) equal(langFromLani(lani), 'en', String(lani));
  });

  it('falls back to English for an unexpected language at run time', () => {
    const table = { en: 'Name', nb: 'Navn' };
    equal(pick(table, 'nb'), 'Navn');
    equal(pick(table, 'de'), 'Name');
    equal(pick(table, undefined), 'Name');
  });

  it('formats counts per language', () => {
    equal(formatCount(10000, 'en'), '10,000');
    equal(formatCount(10000, 'nb').replace(/\s/g, ' '), '10 000');
  });
});
