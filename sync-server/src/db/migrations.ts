// The one ordered list of migrations; the same list runs on SQLite and PostgreSQL at start.
import { randomUUID } from 'node:crypto'
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely'
import { recoveryContext } from '../auth/directory-recovery.ts'
import { recordSecretsKey, type SecretsKey, seal } from '../auth/secrets-key.ts'
import type { TokenSecrets } from '../auth/token-secret.ts'
import {
  enrolmentContext,
  openTokenSealedSecret,
  sealTotpSecret,
  totpContext,
} from '../auth/totp.ts'
import { migrationFailure } from './connection-errors.ts'
import type { Dialect } from './database.ts'
import type { Database } from './schema.ts'

/**
 * Exported for tests that replay one migration over an older server's data. `tokenSecrets` opens
 * what older servers sealed with the token secret; without it (a new, empty database) a migration
 * that finds such rows stops.
 */
export function migrations(
  dialect: Dialect,
  secretsKey: SecretsKey,
  tokenSecrets?: TokenSecrets,
): Record<string, Migration> {
  return {
    '0001_meta': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('meta')
          .ifNotExists()
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute()
      },
    },
    '0002_accounts': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('organisations')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute()
        await db.schema
          .createTable('units')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('retired', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute()
        await db.schema
          .createTable('people')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('username', 'text', (c) => c.notNull().unique())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute()
        await db.schema
          .createTable('person_roles')
          .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
          .addColumn('role', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('person_roles_pk', ['person_id', 'role'])
          .execute()
        await db.schema
          .createTable('unit_members')
          .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
          .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
          .addPrimaryKeyConstraint('unit_members_pk', ['unit_id', 'person_id'])
          .execute()
        await db.schema
          .createTable('supervision')
          .addColumn('supervisor_id', 'text', (c) => c.notNull().references('people.id'))
          .addColumn('practitioner_id', 'text', (c) => c.notNull().references('people.id'))
          .addPrimaryKeyConstraint('supervision_pk', ['supervisor_id', 'practitioner_id'])
          .execute()
        await db.schema
          .createTable('device_sessions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
          .addColumn('device_name', 'text', (c) => c.notNull())
          .addColumn('device_id', 'text')
          .addColumn('refresh_hash', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('last_contact_at', 'text', (c) => c.notNull())
          .addColumn('app_version', 'text')
          .addColumn('revoked_at', 'text')
          .addColumn('wipe', 'integer', (c) => c.notNull().defaultTo(0))
          .execute()
        await db.schema
          .createIndex('device_sessions_person')
          .on('device_sessions')
          .column('person_id')
          .execute()
        const audit = db.schema.createTable('audit_log')
        await (dialect === 'postgres'
          ? audit.addColumn('id', 'serial', (c) => c.primaryKey())
          : audit.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        )
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor_id', 'text')
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('target', 'text')
          .addColumn('ip', 'text')
          .addColumn('details', 'text')
          .execute()
      },
    },
    '0003_sync': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('counters')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('value', 'integer', (c) => c.notNull())
          .execute()
        await db
          .insertInto('counters' as never)
          .values({ name: 'change_seq', value: 0 } as never)
          .execute()
        await db.schema
          .createTable('applied_ops')
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addColumn('device_seq', 'integer', (c) => c.notNull())
          .addColumn('op_id', 'text', (c) => c.notNull())
          .addColumn('content_hash', 'text', (c) => c.notNull())
          .addColumn('person_id', 'text', (c) => c.notNull())
          .addColumn('result', 'text', (c) => c.notNull())
          .addColumn('applied_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('applied_ops_pk', ['device_id', 'device_seq'])
          .execute()
        await db.schema
          .createTable('records')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('entity', 'text', (c) => c.notNull())
          .addColumn('client_id', 'text', (c) => c.notNull())
          .addColumn('owner_id', 'text', (c) => c.notNull())
          .addColumn('unit_id', 'text')
          .addColumn('chain_id', 'text', (c) => c.notNull())
          .addColumn('voided', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('superseded_by', 'text')
          .addColumn('server_seq', 'integer', (c) => c.notNull().unique())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute()
        await db.schema
          .createIndex('records_client')
          .on('records')
          .columns(['client_id', 'server_seq'])
          .execute()
        await db.schema.createIndex('records_chain').on('records').column('chain_id').execute()
        await db.schema.createIndex('records_unit').on('records').column('unit_id').execute()
        await db.schema
          .createTable('client_access')
          .addColumn('client_id', 'text', (c) => c.notNull())
          .addColumn('person_id', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('client_access_pk', ['client_id', 'person_id'])
          .execute()
        await db.schema
          .createIndex('client_access_person')
          .on('client_access')
          .column('person_id')
          .execute()
        await db.schema
          .createTable('change_log')
          .addColumn('seq', 'integer', (c) => c.primaryKey())
          .addColumn('record_id', 'text', (c) => c.notNull())
          .addColumn('op', 'text', (c) => c.notNull())
          .addColumn('device_id', 'text')
          .addColumn('person_id', 'text')
          .addColumn('at', 'text', (c) => c.notNull())
          .execute()
        await db.schema
          .createTable('conflicts')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('record_id', 'text', (c) => c.notNull())
          .addColumn('chain_id', 'text')
          .addColumn('base_version', 'text')
          .addColumn('server_version', 'text')
          .addColumn('reason', 'text')
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addColumn('person_id', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute()
      },
    },
    '0004_settings': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('settings')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('updated_by', 'text')
          .execute()
      },
    },
    '0005_text_packs': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('text_packs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('licensee', 'text', (c) => c.notNull())
          .addColumn('reference', 'text', (c) => c.notNull())
          .addColumn('entries', 'integer', (c) => c.notNull())
          .addColumn('pack', 'text', (c) => c.notNull())
          .addColumn('active', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('uploaded_at', 'text', (c) => c.notNull())
          .addColumn('uploaded_by', 'text')
          .execute()
      },
    },
    // The token secret lived here until a copy of the database was found to be enough to sign an
    // administrator's token; it now comes from configuration (auth/token-secret.ts). Deleting the
    // row keeps it out of every backup taken from now on.
    '0006_token_secret_out_of_database': {
      async up(db: Kysely<unknown>) {
        await sql`delete from meta where key = 'token_secret'`.execute(db)
      },
    },
    '0007_sync_device_keys': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('device_keys')
          .addColumn('device_id', 'text', (c) => c.primaryKey())
          .addColumn('key_hash', 'text', (c) => c.notNull())
          .addColumn('person_id', 'text', (c) => c.notNull())
          .addColumn('device_session_id', 'text', (c) => c.notNull())
          .addColumn('bound_at', 'text', (c) => c.notNull())
          .execute()
      },
    },
    '0008_auth_retired_refresh_tokens': {
      async up(db: Kysely<unknown>) {
        // Hashes of refresh tokens already rotated away: one presented again means a copy is in
        // someone else's hands, and its device session is ended.
        await db.schema
          .createTable('retired_refresh_tokens')
          .addColumn('hash', 'text', (c) => c.primaryKey())
          .addColumn('session_id', 'text', (c) => c.notNull())
          .addColumn('retired_at', 'text', (c) => c.notNull())
          .execute()
        await db.schema
          .createIndex('retired_refresh_tokens_retired_at')
          .on('retired_refresh_tokens')
          .column('retired_at')
          .execute()
        // Why a device session ended when the device must hear more than "signed out".
        await db.schema.alterTable('device_sessions').addColumn('revoked_reason', 'text').execute()
      },
    },
    '0009_must_change_password': {
      async up(db: Kysely<unknown>) {
        // Set by an administrator's password reset: the person chooses their own at the next sign-in.
        await db.schema
          .alterTable('people')
          .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
          .execute()
      },
    },
    '0010_devices': {
      async up(db: Kysely<unknown>) {
        // One row per tablet (its own stable id), however many people sign in on it.
        await db.schema
          .createTable('devices')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('app_version', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute()
        await db.schema
          .createIndex('device_sessions_device_id')
          .on('device_sessions')
          .column('device_id')
          .execute()
      },
    },
    '0011_episode_facts': {
      async up(db: Kysely<unknown>) {
        // The reports' read model: one row of core EpisodeFacts per episode, kept by the push
        // and rebuilt at start or after a settings change (sync-server/src/reports/facts.ts).
        await db.schema
          .createTable('episode_facts')
          .addColumn('episode_id', 'text', (c) => c.primaryKey())
          .addColumn('client_id', 'text', (c) => c.notNull())
          .addColumn('unit_id', 'text')
          .addColumn('practitioner_id', 'text', (c) => c.notNull())
          .addColumn('started_on', 'text', (c) => c.notNull())
          .addColumn('facts', 'text', (c) => c.notNull())
          .execute()
        await db.schema
          .createIndex('episode_facts_started_on')
          .on('episode_facts')
          .columns(['started_on', 'unit_id'])
          .execute()
        await db.schema
          .createIndex('episode_facts_unit')
          .on('episode_facts')
          .columns(['unit_id', 'started_on'])
          .execute()
        await db.schema
          .createIndex('episode_facts_client')
          .on('episode_facts')
          .column('client_id')
          .execute()
      },
    },
    '0012_directory_identity': {
      async up(db: Kysely<unknown>) {
        // People from the municipality's directory (OpenID Connect sign-in, SCIM provisioning):
        // the provider's stable object id (Entra `oid`, else `sub`; SCIM's externalId too).
        await db.schema.alterTable('people').addColumn('directory_id', 'text').execute()
        await db.schema
          .alterTable('people')
          .addColumn('source', 'text', (c) => c.notNull().defaultTo('local'))
          .execute()
        await db.schema.alterTable('people').addColumn('email', 'text').execute()
        // Unique where set; both databases allow many nulls in a unique index.
        await db.schema
          .createIndex('people_directory_id')
          .on('people')
          .column('directory_id')
          .unique()
          .execute()
        // Everyone in a provider group gets the role (and, with unit_id, membership of the unit).
        await db.schema
          .createTable('directory_group_roles')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('group_id', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('unit_id', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute()
        await db.schema
          .createIndex('directory_group_roles_group')
          .on('directory_group_roles')
          .column('group_id')
          .execute()
      },
    },
    '0013_provisioning': {
      async up(db: Kysely<unknown>) {
        // SCIM 2.0 provisioning (sync-server/src/scim): the directory's view of a person (its
        // userName as sent, its active flag) beside the people row it provisions.
        await db.schema
          .createTable('scim_users')
          .addColumn('person_id', 'text', (c) => c.primaryKey().references('people.id'))
          .addColumn('user_name', 'text', (c) => c.notNull())
          .addColumn('given_name', 'text')
          .addColumn('family_name', 'text')
          .addColumn('active', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute()
        // The directory's groups; external_id (Entra's object id) is what directory_group_roles maps.
        await db.schema
          .createTable('scim_groups')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('external_id', 'text', (c) => c.unique())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute()
        await db.schema
          .createTable('scim_group_members')
          .addColumn('group_id', 'text', (c) => c.notNull())
          .addColumn('person_id', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('scim_group_members_pk', ['group_id', 'person_id'])
          .execute()
        await db.schema
          .createIndex('scim_group_members_person')
          .on('scim_group_members')
          .column('person_id')
          .execute()
        // Joiners and leavers asked for by unit leaders, decided by the administrator.
        await db.schema
          .createTable('access_requests')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('unit_id', 'text', (c) => c.notNull())
          .addColumn('requested_by', 'text', (c) => c.notNull())
          .addColumn('requested_at', 'text', (c) => c.notNull())
          .addColumn('display_name', 'text')
          .addColumn('username', 'text')
          .addColumn('email', 'text')
          .addColumn('role', 'text')
          .addColumn('person_id', 'text')
          .addColumn('last_day', 'text')
          .addColumn('decided_by', 'text')
          .addColumn('decided_at', 'text')
          .execute()
        await db.schema
          .createIndex('access_requests_status')
          .on('access_requests')
          .columns(['status', 'requested_at'])
          .execute()
        // When an approved leaver's access ends (the end of the last day, Norwegian time).
        await db.schema.alterTable('people').addColumn('access_ends_at', 'text').execute()
      },
    },
    '0014_compact_episode_facts': {
      async up(db: Kysely<unknown>) {
        // The facts as a JSON array instead of an object (a third of the bytes, parsed faster),
        // and indexes that give a year's facts in client order, so a report reads them in pages
        // without a sort. The table is rebuilt from the records at the next start (FACTS_VERSION
        // 3), as after any change of what the facts hold.
        const collated = (column: string) =>
          dialect === 'postgres' ? sql`${sql.ref(column)} collate "C"` : sql.ref(column)
        await db.schema.dropTable('episode_facts').execute()
        await db.schema
          .createTable('episode_facts')
          .addColumn('episode_id', 'text', (c) => c.primaryKey())
          .addColumn('client_id', 'text', (c) => c.notNull())
          .addColumn('unit_id', 'text')
          .addColumn('practitioner_id', 'text', (c) => c.notNull())
          .addColumn('started_on', 'text', (c) => c.notNull())
          .addColumn('started_year', 'integer', (c) => c.notNull())
          .addColumn('facts', 'text', (c) => c.notNull())
          .execute()
        // Reports read a year in client order, in pages (sync-server/src/reports/scope.ts): the
        // whole organisation's by the first index, a leader's units' by the second.
        await db.schema
          .createIndex('episode_facts_year_client')
          .on('episode_facts')
          .expression(sql`started_year, ${collated('client_id')}, ${collated('episode_id')}`)
          .execute()
        await db.schema
          .createIndex('episode_facts_unit_year_client')
          .on('episode_facts')
          .expression(
            sql`unit_id, started_year, ${collated('client_id')}, ${collated('episode_id')}`,
          )
          .execute()
        // The push refreshes a client's facts; supervision figures select by client and date.
        await db.schema
          .createIndex('episode_facts_client')
          .on('episode_facts')
          .columns(['client_id', 'started_on'])
          .execute()
      },
    },
    '0015_access_log': {
      async up(db: Kysely<unknown>) {
        // The innsynslogg: one row each time a client's records were given to a person
        // (sync-server/src/accounts/access-log.ts). Written and swept, never changed.
        const table = db.schema.createTable('access_log')
        await (dialect === 'postgres'
          ? table.addColumn('id', 'bigserial', (c) => c.primaryKey())
          : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        )
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('client_id', 'text', (c) => c.notNull())
          .addColumn('person_id', 'text', (c) => c.notNull())
          .addColumn('person_name', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('relation', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('device_session_id', 'text')
          .addColumn('device_name', 'text')
          .execute()
        await db.schema
          .createIndex('access_log_client')
          .on('access_log')
          .columns(['client_id', 'at'])
          .execute()
        // The retention sweep deletes by age.
        await db.schema.createIndex('access_log_at').on('access_log').column('at').execute()
        // No code path updates a row; the database refuses it too, so a bug or a hand-made
        // statement cannot rewrite what the client will be shown.
        if (dialect === 'postgres') {
          await sql`create function access_log_refuse_update() returns trigger language plpgsql as $$
            begin raise exception 'access_log rows cannot be changed'; end $$`.execute(db)
          await sql`create trigger access_log_no_update before update on access_log
            for each row execute function access_log_refuse_update()`.execute(db)
        } else {
          await sql`create trigger access_log_no_update before update on access_log
            begin select raise(abort, 'access_log rows cannot be changed'); end`.execute(db)
        }
      },
    },
    '0016_oidc_sign_ins': {
      async up(db: Kysely<unknown>) {
        // One row per sign-in through the identity provider, from the tablet's start to its
        // single-use exchange (minutes); kept in the database so any instance may take the callback.
        await db.schema
          .createTable('oidc_sign_ins')
          .addColumn('state', 'text', (c) => c.primaryKey())
          .addColumn('tablet_hash', 'text', (c) => c.notNull())
          .addColumn('code_verifier', 'text', (c) => c.notNull())
          .addColumn('nonce', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('returned_at', 'text')
          .addColumn('person_id', 'text')
          .addColumn('exchange_hash', 'text')
          .addColumn('exchange_expires_at', 'text')
          .execute()
        await db.schema
          .createIndex('oidc_sign_ins_exchange')
          .on('oidc_sign_ins')
          .column('exchange_hash')
          .execute()
        // What the tablet's key is wrapped with after a directory sign-in (the password's part
        // for local people): opens the tablet's data again after a forgotten PIN.
        await db.schema
          .createTable('directory_recovery')
          .addColumn('person_id', 'text', (c) => c.primaryKey())
          .addColumn('secret', 'text', (c) => c.notNull())
          .execute()
      },
    },
    '0017_two_factor': {
      async up(db: Kysely<unknown>) {
        // TOTP for local accounts: the secret sealed with a key from the token secret (never plain),
        // and the last time step used, so that a code is never accepted twice.
        await db.schema.alterTable('people').addColumn('totp_secret', 'text').execute()
        await db.schema.alterTable('people').addColumn('totp_enrolled_at', 'text').execute()
        await db.schema.alterTable('people').addColumn('totp_last_step', 'integer').execute()
        await db.schema
          .createTable('recovery_codes')
          .addColumn('person_id', 'text', (c) => c.notNull())
          .addColumn('code_hash', 'text', (c) => c.notNull())
          .addColumn('used_at', 'text')
          .addPrimaryKeyConstraint('recovery_codes_pk', ['person_id', 'code_hash'])
          .execute()
        // Between the password and the second factor: no device session exists yet.
        await db.schema
          .createTable('pending_sign_ins')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('person_id', 'text', (c) => c.notNull())
          .addColumn('stage', 'text', (c) => c.notNull())
          .addColumn('device_name', 'text', (c) => c.notNull())
          .addColumn('device_id', 'text')
          .addColumn('app_version', 'text')
          .addColumn('enrol_secret', 'text')
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .execute()
      },
    },
    // The directory recovery secrets were kept in plain text: a copy of the database and a stolen
    // tablet opened that tablet's data. They are now sealed with the secrets key, kept outside the database.
    '0018_sealed_directory_recovery': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('directory_recovery_sealed')
          .addColumn('person_id', 'text', (c) => c.primaryKey())
          .addColumn('sealed_secret', 'text', (c) => c.notNull())
          .execute()
        const plain = await sql<{ person_id: string; secret: string }>`
          select person_id, secret from directory_recovery`.execute(db)
        for (const row of plain.rows) {
          const sealed = seal(secretsKey, row.secret, recoveryContext(row.person_id))
          await sql`insert into directory_recovery_sealed (person_id, sealed_secret)
            values (${row.person_id}, ${sealed})`.execute(db)
        }
        await db.schema.dropTable('directory_recovery').execute()
        await db.schema
          .alterTable('directory_recovery_sealed')
          .renameTo('directory_recovery')
          .execute()
      },
    },
    '0019_people_deactivated_at': {
      async up(db: Kysely<unknown>) {
        // When a person's access ended, so the staff list can say since when someone has left.
        await db.schema.alterTable('people').addColumn('deactivated_at', 'text').execute()
      },
    },
    // TOTP secrets were sealed with a key from the token secret: after a rotation, once the previous
    // secret was removed, everyone who had not signed in meanwhile lost their second factor. They
    // are now sealed with the secrets key (which does not rotate), bound to their person.
    '0020_totp_sealed_with_secrets_key': {
      async up(db: Kysely<unknown>) {
        const enrolled = await sql<{ id: string; totp_secret: string }>`
          select id, totp_secret from people where totp_secret is not null`.execute(db)
        const pending = await sql<{ token_hash: string; person_id: string; enrol_secret: string }>`
          select token_hash, person_id, enrol_secret from pending_sign_ins
          where enrol_secret is not null`.execute(db)
        if (enrolled.rows.length + pending.rows.length === 0) return
        if (!tokenSecrets) throw new Error('0020 needs the token secrets to open the TOTP secrets')
        const at = new Date().toISOString()
        for (const row of enrolled.rows) {
          const secret = openTokenSealedSecret(row.totp_secret, tokenSecrets)
          if (secret === null) {
            // Sealed with a token secret that is no longer configured. The row stays (it opens with
            // nothing): clearing it would let the password alone enrol a new app. The person signs
            // in with a recovery code or the admin resets them, as before; the audit log says who.
            await sql`insert into audit_log (at, actor_id, action, target, ip, details)
              values (${at}, ${null}, ${'two_factor_unreadable'}, ${row.id}, ${null}, ${null})`.execute(
              db,
            )
            continue
          }
          const sealed = sealTotpSecret(secretsKey, secret, totpContext(row.id))
          await sql`update people set totp_secret = ${sealed} where id = ${row.id}`.execute(db)
        }
        for (const row of pending.rows) {
          // An enrolment under way: the same secret the app may already hold, or a new one shown.
          const secret = openTokenSealedSecret(row.enrol_secret, tokenSecrets)
          const sealed =
            secret === null
              ? null
              : sealTotpSecret(secretsKey, secret, enrolmentContext(row.person_id))
          await sql`update pending_sign_ins set enrol_secret = ${sealed}
            where token_hash = ${row.token_hash}`.execute(db)
        }
      },
    },
    // Remote forms (issue 17): a link the client opens on their own device, and the messages that
    // carry it. Tokens, short codes and codes are stored hashed; a message waiting to be sent is
    // sealed with the secrets key and erased once sent or given up. Re-runnable (if not exists),
    // as a test replays 0020 and everything after it.
    '0021_remote_links': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('remote_links')
          .ifNotExists()
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('short_code_hash', 'text', (c) => c.notNull().unique())
          .addColumn('code_salt', 'text', (c) => c.notNull())
          .addColumn('code_hash', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
          .addColumn('client_id', 'text', (c) => c.notNull())
          .addColumn('episode_id', 'text', (c) => c.notNull())
          .addColumn('session', 'integer', (c) => c.notNull())
          .addColumn('instrument_id', 'text', (c) => c.notNull())
          .addColumn('rater', 'text', (c) => c.notNull())
          .addColumn('locale', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('administration_id', 'text', (c) => c.notNull())
          .addColumn('device_id', 'text', (c) => c.notNull())
          .addColumn('sealed_token', 'text')
          .addColumn('form_token_hash', 'text')
          .addColumn('form_token_expires_at', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('completed_at', 'text')
          .addColumn('revoked_at', 'text')
          .addColumn('reminder_sent_at', 'text')
          .execute()
        await db.schema
          .createIndex('remote_links_client')
          .ifNotExists()
          .on('remote_links')
          .columns(['client_id', 'created_at'])
          .execute()
        await db.schema
          .createTable('remote_deliveries')
          .ifNotExists()
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('link_id', 'text', (c) => c.notNull().references('remote_links.id'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('next_attempt_at', 'text', (c) => c.notNull())
          .addColumn('claimed_by', 'text')
          .addColumn('claimed_until', 'text')
          .addColumn('sealed_message', 'text')
          .addColumn('last_error', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute()
        await db.schema
          .createIndex('remote_deliveries_due')
          .ifNotExists()
          .on('remote_deliveries')
          .columns(['status', 'next_attempt_at'])
          .execute()
        await db.schema
          .createIndex('remote_deliveries_link')
          .ifNotExists()
          .on('remote_deliveries')
          .column('link_id')
          .execute()
      },
    },
  }
}

class InlineProvider implements MigrationProvider {
  constructor(
    private readonly dialect: Dialect,
    private readonly secretsKey: SecretsKey,
    private readonly tokenSecrets: TokenSecrets | undefined,
  ) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations(this.dialect, this.secretsKey, this.tokenSecrets)
  }
}

async function ensureMeta(db: Kysely<Database>, key: string, make: () => string): Promise<void> {
  const existing = await db
    .selectFrom('meta')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst()
  if (!existing) {
    await db
      .insertInto('meta')
      .values({ key, value: make() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute()
  }
}

/**
 * Runs pending migrations; on PostgreSQL Kysely's migrator holds an advisory lock so parallel starts
 * are safe. `secretsKey` seals what a migration moves out of plain text (checked by secretsKeyFor).
 */
export async function migrate(
  db: Kysely<Database>,
  dialect: Dialect,
  secretsKey: SecretsKey,
  tokenSecrets?: TokenSecrets,
): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new InlineProvider(dialect, secretsKey, tokenSecrets),
  })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error || failed) throw migrationFailure(failed?.migrationName, error)
  // Migration 0006 removed the old token-signing secret; a row put back later (an old backup's
  // meta restored by hand) is removed at every start too, so a copy of the database never signs.
  await db.deleteFrom('meta').where('key', '=', 'token_secret').execute()
  // The epoch names this database; a restored backup gets a new one and devices do a full pull.
  await ensureMeta(db, 'epoch', () => randomUUID())
  await recordSecretsKey(db, secretsKey)
}

/** Reads a meta value written by migrate(). */
export async function readMeta(db: Kysely<Database>, key: string): Promise<string> {
  const row = await db
    .selectFrom('meta')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirstOrThrow()
  return row.value
}

export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db)
}
