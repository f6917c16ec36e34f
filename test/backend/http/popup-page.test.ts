import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeHarness, type Harness } from '../../helpers/harness.js';

/** The sources one CSP directive allows, falling back to `default-src` as browsers do. */
function sources(csp: string, directive: string): string[] {
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values]),
  );
  return directives.get(directive) ?? directives.get('default-src') ?? [];
}

describe('the popup result page under its own CSP', () => {
  let h: Harness;
  before(async () => {
    h = await makeHarness();
  });
  after(() => h.close());

  // Pages that stay open for the user to read (a successful one closes itself), from the same template.
  const PAGES = ['/auth/superoffice/callback?error=access_denied&state=x', '/auth/superoffice/callback?code=x&state=y'];

  test('has no inline style the CSP would block; its stylesheet is one the CSP allows, and is served', async () => {
    for (const url of PAGES) {
      const page = await h.request('GET', url);
      assert.match(String(page.headers['content-type']), /text\/html/);
      const styleSrc = sources(String(page.headers['content-security-policy']), 'style-src');
      assert.deepEqual(styleSrc, ["'self'"], 'no inline styles, no hashes or nonces allowed');
      // With style-src 'self' only, a browser drops every style attribute and <style> element.
      assert.doesNotMatch(page.text, /<[^>]+\sstyle\s*=/i, `${url}: a style attribute`);
      assert.doesNotMatch(page.text, /<style[\s>]/i, `${url}: a <style> element`);
      const sheets = [...page.text.matchAll(/<link\s+rel="stylesheet"\s+href="([^"]+)"/g)].map((m) => m[1]!);
      assert.deepEqual(sheets, ['/auth/popup-result.css'], 'one stylesheet, from our own origin');
      const css = await h.request('GET', sheets[0]!);
      assert.equal(css.status, 200);
      assert.match(String(css.headers['content-type']), /^text\/css/);
      assert.match(css.text, /body\s*\{[^}]*font-family/);
    }
  });
});
