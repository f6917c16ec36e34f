import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from '../../backend/config.js';
import { parseMssqlUrl } from '../../backend/db/store.js';

describe('configuration', () => {
  test('defaults run the embedded database on port 3000', () => {
    const c = loadConfig({});
    assert.equal(c.port, 3000);
    assert.equal(c.databaseUrl, 'sqlite:./data/mailbox-link.db');
    assert.equal(c.migrateOnStart, true);
    assert.deepEqual(c.frameAncestors, ["'self'", 'https://*.superoffice.com']);
  });

  test('reads every setting', () => {
    const c = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'mssql://app:pw@db:1433/crm',
      MIGRATE_ON_START: 'false',
      FRAME_ANCESTORS: 'https://online.superoffice.com  https://sod.superoffice.com',
      BODY_LIMIT: '2mb',
      SESSION_TTL_MINUTES: '60',
      LOG_LEVEL: 'warn',
    });
    assert.equal(c.port, 8080);
    assert.equal(c.migrateOnStart, false);
    assert.deepEqual(c.frameAncestors, ['https://online.superoffice.com', 'https://sod.superoffice.com']);
    assert.equal(c.bodyLimit, '2mb');
    assert.equal(c.sessionTtlMinutes, 60);
  });

  test('TRUST_PROXY_HOPS: 1 by default, 1 to 10', () => {
    assert.equal(loadConfig({}).trustProxyHops, 1);
    assert.equal(loadConfig({ TRUST_PROXY: 'true', TRUST_PROXY_HOPS: '2' }).trustProxyHops, 2);
    for (const bad of ['0', '11', '1.5', 'two']) assert.throws(() => loadConfig({ TRUST_PROXY_HOPS: bad }), /TRUST_PROXY_HOPS/);
  });

  test('a bad setting is named, and its value (maybe a password) is not echoed', () => {
    assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT/);
    assert.throws(
      () => loadConfig({ DATABASE_URL: 'postgres://u:s3cretpw@h/db' }),
      (err: Error) => /DATABASE_URL/.test(err.message) && !err.message.includes('s3cretpw'),
    );
  });

  test('parses SQL Server URLs, decoding credentials', () => {
    const o = parseMssqlUrl('mssql://sync%40corp:p%40ss%3Aw0rd@sql.example.com:14330/Crm%20Links?encrypt=true&trustServerCertificate=true');
    assert.deepEqual(o, {
      server: 'sql.example.com',
      port: 14330,
      database: 'Crm Links',
      user: 'sync@corp',
      password: 'p@ss:w0rd',
      encrypt: true,
      trustServerCertificate: true,
      instanceName: undefined,
    });
    assert.equal(parseMssqlUrl('mssql://u:p@h/db').encrypt, true, 'encryption is on unless turned off');
    assert.throws(() => parseMssqlUrl('mssql://u:p@h/'), /database/);
  });
});
