// Kysely table types for the server database (same tables on SQLite and PostgreSQL; booleans are 0/1 integers, times ISO text).
import type { Generated } from 'kysely'

export interface MetaTable {
  key: string
  value: string
}

/** Named counters; `change_seq` is the server sequence, updated inside each push transaction. */
export interface CountersTable {
  name: string
  value: number
}

export interface OrganisationsTable {
  id: string
  name: string
  created_at: string
}

export interface UnitsTable {
  id: string
  organisation_id: string
  name: string
  retired: number
  created_at: string
}

export interface PeopleTable {
  id: string
  username: string
  display_name: string
  /** `scrypt$N$r$p$salt$hash` (base64url salt and hash). */
  password_hash: string
  active: number
  created_at: string
  /** 1 after an administrator set the password: only choosing a new one is allowed until then. */
  must_change_password: Generated<number>
  /** The identity provider's stable object id (Entra `oid`, else `sub`); null for local people. */
  directory_id: string | null
  /** 'local' (Linja's own password) or 'directory' (the municipality's identity provider). */
  source: Generated<PersonSource>
  email: string | null
  /** An approved leaver's end of access (ISO instant: the end of the last day); null = none. */
  access_ends_at: Generated<string | null>
  /** When access last ended (ISO instant); null while active or when ended before this was kept. */
  deactivated_at: Generated<string | null>
  /** The TOTP secret sealed by auth/totp.ts (AES-GCM, key from the token secret); null = not enrolled. */
  totp_secret: string | null
  totp_enrolled_at: string | null
  /** The last TOTP time step accepted: a code of that step or an earlier one is a replay. */
  totp_last_step: number | null
}

export const PERSON_SOURCES = ['local', 'directory'] as const
export type PersonSource = (typeof PERSON_SOURCES)[number]

/** A provider group mapped to a Linja role, and to a unit when unit_id is set. */
export interface DirectoryGroupRolesTable {
  id: string
  group_id: string
  role: string
  unit_id: string | null
  created_at: string
}

/** Single-use recovery codes of a person's two-factor enrolment (SHA-256 of the normalised code). */
export interface RecoveryCodesTable {
  person_id: string
  code_hash: string
  used_at: string | null
}

/** A password accepted, the second factor not yet: the short-lived token (its hash) and the device it is for. */
export interface PendingSignInsTable {
  token_hash: string
  person_id: string
  /** 'code': enrolled, a code is asked; 'enrol': required, not enrolled yet. */
  stage: string
  device_name: string
  device_id: string | null
  app_version: string | null
  /** The secret being enrolled (sealed), shown once and kept until the first code confirms it. */
  enrol_secret: string | null
  expires_at: string
}

export interface PersonRolesTable {
  person_id: string
  role: string
}

export interface UnitMembersTable {
  unit_id: string
  person_id: string
}

export interface SupervisionTable {
  supervisor_id: string
  practitioner_id: string
}

export interface DeviceSessionsTable {
  id: string
  person_id: string
  device_name: string
  /** The device's own id (from its outbox), bound at the first push. */
  device_id: string | null
  refresh_hash: string
  created_at: string
  last_contact_at: string
  app_version: string | null
  revoked_at: string | null
  /** 'reuse' when a rotated refresh token came back; 'demo_seed' for the demo's pushes; null for a sign-out or an administrator. */
  revoked_reason: string | null
  wipe: number
}

/** S21: the tablet a device id belongs to, proved by the hash of the key it made with its id. */
export interface DeviceKeysTable {
  device_id: string
  /** SHA-256 of the device key, base64url. */
  key_hash: string
  /** Who first pushed with the key, and from which device session (for the audit trail). */
  person_id: string
  device_session_id: string
  bound_at: string
}

/** A tablet: its own id (the one its outbox sends), the name people know it by. */
export interface DevicesTable {
  id: string
  name: string
  /** The app version at the latest sign-in on it. */
  app_version: string | null
  created_at: string
}

export interface AppliedOpsTable {
  device_id: string
  device_seq: number
  op_id: string
  content_hash: string
  person_id: string
  /** The OpResult JSON answered the first time, repeated for a duplicate. */
  result: string
  applied_at: string
}

export interface RecordsTable {
  id: string
  entity: string
  client_id: string
  owner_id: string
  unit_id: string | null
  /** The first version's id in a correction chain (administrations), else the record's id. */
  chain_id: string
  voided: number
  superseded_by: string | null
  server_seq: number
  payload: string
  updated_at: string
}

/** Who may write a client's records: its owner and its practitionerIds. */
export interface ClientAccessTable {
  client_id: string
  person_id: string
}

export interface ChangeLogTable {
  seq: number
  record_id: string
  op: string
  device_id: string | null
  person_id: string | null
  at: string
}

export interface ConflictsTable {
  id: string
  kind: string
  record_id: string
  chain_id: string | null
  base_version: string | null
  server_version: string | null
  reason: string | null
  payload: string
  device_id: string
  person_id: string
  created_at: string
}

export interface AuditLogTable {
  id: Generated<number>
  at: string
  actor_id: string | null
  action: string
  target: string | null
  ip: string | null
  details: string | null
}

/** Organisation settings as JSON under one key each (`organisation` for now). */
export interface SettingsTable {
  key: string
  value: string
  updated_at: string
  updated_by: string | null
}

/** Uploaded instrument text packs (validated by the core); the newest upload is the active one. */
export interface TextPacksTable {
  id: string
  version: string
  licensee: string
  reference: string
  entries: number
  /** The pack JSON as the core validated it. */
  pack: string
  active: number
  uploaded_at: string
  uploaded_by: string | null
}

/** Refresh tokens rotated away (hashes only), kept to recognise reuse until the idle limit. */
export interface RetiredRefreshTokensTable {
  hash: string
  session_id: string
  retired_at: string
}

/** The reports' read model: the core's EpisodeFacts of one episode, with the columns reports filter on. */
export interface EpisodeFactsTable {
  episode_id: string
  client_id: string
  /** The unit the episode's record is filed under (null: none). */
  unit_id: string | null
  /** The episode's owner. */
  practitioner_id: string
  /** The start date (YYYY-MM-DD) and its year: reports select periods by them. */
  started_on: string
  started_year: number
  /** The core's EpisodeFacts as a JSON array, in the order of FACT_FIELDS (reports/facts.ts). */
  facts: string
}

/** What SCIM provisioning knows of a directory person beside their people row. */
export interface ScimUsersTable {
  person_id: string
  /** userName exactly as the directory sent it (people.username holds it lower-cased). */
  user_name: string
  given_name: string | null
  family_name: string | null
  /** The directory's own active flag (people.active also ends with lost groups or a leaver). */
  active: number
  created_at: string
  updated_at: string
}

export interface ScimGroupsTable {
  id: string
  display_name: string
  /** The directory's object id of the group: the id directory_group_roles maps. */
  external_id: string | null
  created_at: string
  updated_at: string
}

export interface ScimGroupMembersTable {
  group_id: string
  person_id: string
}

/** A unit leader's request: a joiner to create or a leaver whose access ends after the last day. */
export interface AccessRequestsTable {
  id: string
  kind: 'joiner' | 'leaver'
  status: 'open' | 'approved' | 'refused'
  unit_id: string
  requested_by: string
  requested_at: string
  display_name: string | null
  username: string | null
  email: string | null
  role: string | null
  /** The leaver; for a joiner, the person the approval created. */
  person_id: string | null
  /** A leaver's last working day (YYYY-MM-DD, Norwegian calendar). */
  last_day: string | null
  decided_by: string | null
  decided_at: string | null
}

/** The innsynslogg: who was given a client's records, how and when; only inserted and swept. */
export interface AccessLogTable {
  id: Generated<number>
  at: string
  client_id: string
  person_id: string
  /** The display name when it happened. */
  person_name: string
  role: string
  relation: string
  channel: string
  device_session_id: string | null
  /** The tablet's name when it happened. */
  device_name: string | null
}

/** A sign-in through the identity provider, from the tablet's start to its one exchange. */
export interface OidcSignInsTable {
  /** The OAuth `state`: random, single use. */
  state: string
  /** SHA-256 (base64url) of the secret the starting tablet keeps: only it can exchange. */
  tablet_hash: string
  code_verifier: string
  nonce: string
  created_at: string
  /** When the provider sent the browser back (a second return is refused). */
  returned_at: string | null
  person_id: string | null
  /** SHA-256 of the one-time exchange code; null once used. */
  exchange_hash: string | null
  exchange_expires_at: string | null
}

/** A directory person's recovery secret for their tablets' keys (random; never in a URL). */
export interface DirectoryRecoveryTable {
  person_id: string
  /** Sealed with the secrets key (auth/secrets-key.ts), never plain. */
  sealed_secret: string
}

/** A remote form's link: bound to one client, episode, session and form; secrets stored hashed. */
export interface RemoteLinksTable {
  id: string
  /** SHA-256 (base64url) of the 32-byte token in the link's fragment. */
  token_hash: string
  /** SHA-256 (base64url) of the normalised short code. */
  short_code_hash: string
  /** The six-digit code as HMAC-SHA256 under a key from the secrets key, with this salt. */
  code_salt: string
  code_hash: string
  /** Wrong codes so far; REMOTE_CODE_ATTEMPTS lock the link. */
  attempts: Generated<number>
  /** waiting, completed, revoked or locked ('expired' is read from expires_at). */
  state: string
  /** The practitioner who sent it: the administration is theirs. */
  person_id: string
  client_id: string
  episode_id: string
  session: number
  instrument_id: string
  rater: string
  locale: string
  channel: string
  /** The answer's administration id, chosen at creation so that two answers make one record. */
  administration_id: string
  /** The device id the answer is pushed under (one per link, seq 1). */
  device_id: string
  /** The token sealed with the secrets key, for the one reminder; null after it or without one. */
  sealed_token: string | null
  form_token_hash: string | null
  form_token_expires_at: string | null
  created_at: string
  expires_at: string
  completed_at: string | null
  revoked_at: string | null
  reminder_sent_at: string | null
}

/** A message carrying a link, its code or a reminder: the outbox the sender works through. */
export interface RemoteDeliveriesTable {
  id: string
  link_id: string
  kind: string
  channel: string
  /** pending, sent or failed (given up). */
  status: string
  attempts: Generated<number>
  next_attempt_at: string
  /** The instance working on it and until when; another takes it over after that. */
  claimed_by: string | null
  claimed_until: string | null
  /** The address and text, sealed with the secrets key; null once sent or given up. */
  sealed_message: string | null
  last_error: string | null
  created_at: string
  updated_at: string
}

export interface Database {
  meta: MetaTable
  counters: CountersTable
  organisations: OrganisationsTable
  units: UnitsTable
  people: PeopleTable
  person_roles: PersonRolesTable
  unit_members: UnitMembersTable
  supervision: SupervisionTable
  device_sessions: DeviceSessionsTable
  devices: DevicesTable
  applied_ops: AppliedOpsTable
  device_keys: DeviceKeysTable
  records: RecordsTable
  client_access: ClientAccessTable
  change_log: ChangeLogTable
  conflicts: ConflictsTable
  audit_log: AuditLogTable
  settings: SettingsTable
  text_packs: TextPacksTable
  retired_refresh_tokens: RetiredRefreshTokensTable
  episode_facts: EpisodeFactsTable
  directory_group_roles: DirectoryGroupRolesTable
  scim_users: ScimUsersTable
  scim_groups: ScimGroupsTable
  scim_group_members: ScimGroupMembersTable
  access_requests: AccessRequestsTable
  access_log: AccessLogTable
  oidc_sign_ins: OidcSignInsTable
  directory_recovery: DirectoryRecoveryTable
  recovery_codes: RecoveryCodesTable
  pending_sign_ins: PendingSignInsTable
  remote_links: RemoteLinksTable
  remote_deliveries: RemoteDeliveriesTable
}
