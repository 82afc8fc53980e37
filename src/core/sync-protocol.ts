// Constants and types of the sync protocol (docs/sync-protocol.md), shared by the device's sync client and the server.

/**
 * The protocol this code speaks. Sent as header `x-linja-protocol` on every /api/sync request.
 * 2: an administration may be `collectedBy: 'remote'`; a version-1 app would refuse such a record
 * and skip it for good, so its pull is told `update_required` instead (docs/sync-protocol.md S2).
 */
export const PROTOCOL_VERSION = 2
/** The oldest version whose push payloads the server still accepts (outboxes can wait for days). */
export const MIN_PROTOCOL_VERSION = 1
export const PROTOCOL_HEADER = 'x-linja-protocol'

/** Most operations in one push; a device with more sends several pushes. */
export const MAX_PUSH_OPERATIONS = 500
export const DEFAULT_PULL_LIMIT = 200
export const MAX_PULL_LIMIT = 1000
/** A device clock further off than this gets a warning in the push answer (never a rejection). */
export const CLOCK_SKEW_WARNING_MS = 5 * 60 * 1000

export const SYNC_ENTITIES = ['client', 'episode', 'administration'] as const
export type SyncEntity = (typeof SYNC_ENTITIES)[number]

export const SYNC_OPS = ['create', 'update', 'correct', 'void', 'end'] as const
export type SyncOp = (typeof SYNC_OPS)[number]

export const OP_STATUSES = ['applied', 'conflict', 'rejected'] as const
export type OpStatus = (typeof OP_STATUSES)[number]

export const ACCESS_LEVELS = ['write', 'read'] as const
export type AccessLevel = (typeof ACCESS_LEVELS)[number]

// The bodies themselves are schemas in sync-schemas.ts; only their types are re-exported here, so
// importing a constant from this file does not bring the schema library into the app's first load.
export type {
  OpResult,
  PulledChange,
  PullResponse,
  PushOperation,
  PushRequest,
  PushResponse,
} from './sync-schemas.ts'

/** Error codes the app acts on (body `{error, message, ...}`). */
export const SYNC_ERRORS = {
  updateRequired: 'update_required',
  epochChanged: 'epoch_changed',
  cursorAhead: 'cursor_ahead',
  seqGap: 'seq_gap',
  seqReused: 'seq_reused',
  deviceNotYours: 'device_not_yours',
  deviceRevoked: 'device_revoked',
  accountDeactivated: 'account_deactivated',
  tokenExpired: 'token_expired',
  unauthorised: 'unauthorised',
  forbidden: 'forbidden',
  /** A rotated refresh token came back: the device session was ended (sign in again; nothing is lost). */
  sessionRevokedReuse: 'session_revoked_reuse',
  /** The device session passed the organisation's idle or absolute limit (sign in again). */
  sessionExpired: 'session_expired',
} as const
export type SyncErrorCode = (typeof SYNC_ERRORS)[keyof typeof SYNC_ERRORS]

export const ROLES = ['practitioner', 'supervisor', 'leader', 'admin'] as const
export type Role = (typeof ROLES)[number]

/** What the server's audit log records; never client codes or scores. */
export const AUDIT_ACTIONS = [
  'login',
  'login_failed',
  'logout',
  'password_changed',
  'person_created',
  'person_deactivated',
  'person_reactivated',
  'person_edited',
  'password_reset',
  'supervision_added',
  'supervision_removed',
  'clients_handed_over',
  'device_revoked',
  'unit_created',
  'unit_renamed',
  'unit_retired',
  'admin_created',
  'export',
  'settings_changed',
  'text_pack_uploaded',
  'refresh_reused',
  'device_renamed',
  'directory_access_changed',
  'directory_group_mapped',
  'directory_group_unmapped',
  'login_refused',
  'scim_user_created',
  'scim_user_changed',
  'scim_user_deleted',
  'scim_group_created',
  'scim_group_changed',
  'scim_group_deleted',
  'access_requested',
  'access_request_approved',
  'access_request_refused',
  'access_ended',
  'access_log_swept',
  'two_factor_enrolled',
  'two_factor_failed',
  'two_factor_recovery_used',
  'two_factor_reset',
  'two_factor_unreadable',
  'remote_link_sent',
  'remote_link_revoked',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]
