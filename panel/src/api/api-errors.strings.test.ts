import { ERROR_CODES } from '../../../backend/http/error-codes.js';
import { LANGS } from '../i18n/locale.js';
import { equal, ok } from '../test-support/assert.js';
import { apiErrorStrings, apiErrorText } from './api-errors.strings.js';
import { PanelApi, PanelApiError, errorText } from './api-client.js';

const answer = (status: number, body: unknown): typeof fetch => async () => new Response(JSON.stringify(body), { status });

async function refusal(api: PanelApi): Promise<PanelApiError> {
  try {
    await api.links();
  } catch (err) {
    ok(err instanceof PanelApiError, 'a PanelApiError');
    return err;
  }
  throw new Error('should have thrown');
}

describe('API error texts', () => {
  it('has an English and a Norwegian text for every code the API sends, and they differ', () => {
    for (const code of ERROR_CODES) {
      for (const lang of LANGS) ok((apiErrorText(code, lang) ?? '').trim().length > 0, `${lang} text for ${code}`);
      ok(apiErrorText(code, 'en') !== apiErrorText(code, 'nb'), `${code} is translated`);
    }
    // Nothing in the tables for a code the API does not send (the client's NetworkError aside).
    for (const lang of LANGS) {
      const extra = Object.keys(apiErrorStrings[lang]).filter((c) => c !== 'NetworkError' && !(ERROR_CODES as readonly string[]).includes(c));
      equal(extra.join(), '', `${lang} has no stale codes`);
    }
  });

  it('shows the panel language text instead of the server message, with the details', async () => {
    const body = { error: { code: 'ValidationFailed', message: 'The request body is not valid.', details: [{ path: 'body.links.0.rank', message: 'Server Rank must be a whole number from 1 to 99' }] } };
    const api = new PanelApi('/api/v1', answer(400, body));
    api.lang = 'nb';
    const err = await refusal(api);
    equal(err.code, 'ValidationFailed');
    equal(err.message, 'The request body is not valid.', 'the server message is kept for diagnostics');
    equal(errorText(err), 'Noen av verdiene er ikke gyldige. Ingenting ble lagret. Server Rank must be a whole number from 1 to 99');
    api.lang = 'en';
    equal(errorText(await refusal(api)), 'Some of the values are not valid. Nothing was saved. Server Rank must be a whole number from 1 to 99');
  });

  it('translates the client’s own network error, and shows the server message for a code it does not know', async () => {
    const down = new PanelApi('/api/v1', async () => {
      throw new TypeError('Failed to fetch');
    });
    down.lang = 'nb';
    equal(errorText(await refusal(down)), 'Fikk ikke kontakt med serveren. Sjekk tilkoblingen og prøv igjen.');
    const newer = new PanelApi('/api/v1', answer(409, { error: { code: 'SomethingNew', message: 'A newer backend says so.', details: [] } }));
    newer.lang = 'nb';
    const err = await refusal(newer);
    equal(err.code, 'HttpError');
    equal(errorText(err), 'A newer backend says so.');
    const proxy = new PanelApi('/api/v1', async () => new Response('<html>Bad gateway</html>', { status: 502 }));
    equal(errorText(await refusal(proxy)), 'The server answered 502.');
    proxy.lang = 'nb';
    equal(errorText(await refusal(proxy)), 'Serveren svarte 502.');
  });
});
