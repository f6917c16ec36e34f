import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * The Token Authentication Manager (OAuth mode): what an invite email says and who sends it,
 * how an invite was delivered and whether sending failed, the nonce an accept sign-in must
 * carry, and what the accepting mailbox is called. Frozen in time, like every migration.
 */
export function invites(dialect: DialectName): Migration {
  const mssql = dialect === 'mssql';
  const t = {
    text: (n: number) => (mssql ? sql`nvarchar(${sql.raw(String(n))})` : sql`text`),
    code: (n: number) => (mssql ? sql`varchar(${sql.raw(String(n))})` : sql`text`),
    json: mssql ? sql`nvarchar(max)` : sql`text`,
    bool: mssql ? sql`bit` : sql`integer`,
  };
  return {
    async up(db: Kysely<any>) {
      // The invite email as an administrator last wrote it; null means the built-in text.
      await db.schema.alterTable('tenant').addColumn('invite_sender_address', t.text(320)).execute();
      await db.schema.alterTable('tenant').addColumn('invite_sender_name', t.text(200)).execute();
      await db.schema.alterTable('tenant').addColumn('invite_subject', t.text(300)).execute();
      await db.schema.alterTable('tenant').addColumn('invite_message', t.text(4000)).execute();
      await db.schema
        .alterTable('tenant')
        .addColumn('invite_allow_other_mailbox', t.bool, (c) => c.notNull().defaultTo(0))
        .execute();

      // `email` (sent through Microsoft 365) or `link` (handed out by an administrator).
      await db.schema.alterTable('invite').addColumn('delivery', t.code(16), (c) => c.notNull().defaultTo('email')).execute();
      await db.schema.alterTable('invite').addColumn('allow_other_mailbox', t.bool, (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('invite').addColumn('created_by_name', t.text(200)).execute();
      // Why Microsoft 365 did not send it (the invite then cannot be accepted).
      await db.schema.alterTable('invite').addColumn('send_error', t.text(400)).execute();
      // The nonce the accept page's Microsoft sign-in must carry: replaced each time the link is opened.
      await db.schema.alterTable('invite').addColumn('accept_nonce', t.code(64)).execute();

      await db.schema.alterTable('authorized_mailbox').addColumn('display_name', t.text(256)).execute();
      // Every SMTP address of the mailbox (lower-case JSON array), for Auto Link in OAuth mode.
      await db.schema.alterTable('authorized_mailbox').addColumn('addresses_json', t.json).execute();
    },
    async down(db: Kysely<any>) {
      for (const c of ['addresses_json', 'display_name']) await db.schema.alterTable('authorized_mailbox').dropColumn(c).execute();
      for (const c of ['accept_nonce', 'send_error', 'created_by_name', 'allow_other_mailbox', 'delivery']) {
        await db.schema.alterTable('invite').dropColumn(c).execute();
      }
      for (const c of ['invite_allow_other_mailbox', 'invite_message', 'invite_subject', 'invite_sender_name', 'invite_sender_address']) {
        await db.schema.alterTable('tenant').dropColumn(c).execute();
      }
    },
  };
}
