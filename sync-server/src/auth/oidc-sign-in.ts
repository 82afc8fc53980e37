// From the provider's proven claims to a Linja person: the mapped groups decide; an unmapped person is refused (and audited).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Kysely } from 'kysely'
import { audit } from '../accounts/audit.ts'
import {
  applyDirectoryAccess,
  mappedAccess,
  upsertDirectoryPerson,
} from '../accounts/directory-groups.ts'
import type { Database } from '../db/schema.ts'
import { OidcFailed } from './oidc-client.ts'
import type { OidcConfig } from './oidc-config.ts'

export const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url')
export const randomCode = () => randomBytes(32).toString('base64url')

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

const text = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : null

/**
 * The group ids in the claims. A person in more groups than fit in a token gets none: Entra sends
 * `_claim_names.groups` (a pointer to Microsoft Graph) instead, or `hasgroups: true`. Linja does not
 * call Graph; the administrator limits the claim to the groups assigned to the app (docs/identity.md).
 */
function groupsOf(claims: Record<string, unknown>, config: OidcConfig): string[] {
  const names = claims._claim_names
  const pointed = typeof names === 'object' && names !== null && config.groupsClaim in names
  if (pointed || (claims.hasgroups === true && claims[config.groupsClaim] === undefined))
    throw new OidcFailed('groups_overage', 'groups claim overage')
  const raw = claims[config.groupsClaim]
  if (typeof raw === 'string') return [raw]
  return Array.isArray(raw) ? raw.filter((g): g is string => typeof g === 'string') : []
}

/** The Linja person the claims prove, made just in time; OidcFailed when they get no access. */
export async function personFromClaims(
  db: Kysely<Database>,
  config: OidcConfig,
  claims: Record<string, unknown>,
  ip: string,
): Promise<string> {
  const directoryId = text(claims[config.idClaim]) ?? text(claims.sub)
  if (directoryId === null) throw new OidcFailed('token_rejected', 'no subject')
  const email = text(claims.email)
  const name = text(claims.preferred_username) ?? email ?? text(claims.upn) ?? directoryId
  const displayName = (text(claims.name) ?? name).slice(0, 100)
  const refuse = async (
    reason: 'no_access' | 'groups_overage' | 'account_deactivated',
    target: string | null,
  ) => {
    await audit(db, {
      actorId: null,
      action: 'login_refused',
      target: target ?? directoryId,
      ip,
      details: { method: 'oidc', reason, username: name.slice(0, 100) },
    })
    return new OidcFailed(reason, reason)
  }
  const known = await db
    .selectFrom('people')
    .select(['id', 'active'])
    .where('directory_id', '=', directoryId)
    .executeTakeFirst()
  let groups: string[]
  try {
    groups = groupsOf(claims, config)
  } catch (error) {
    throw error instanceof OidcFailed
      ? await refuse(error.reason as 'groups_overage', known?.id ?? null)
      : error
  }
  const actor = { actorId: null, ip, via: 'oidc' as const }
  if ((await mappedAccess(db, groups)) === null) {
    // Someone known who has left every mapped group loses access here, as with SCIM.
    if (known) await applyDirectoryAccess(db, known.id, groups, actor)
    throw await refuse('no_access', known?.id ?? null)
  }
  if (known && known.active !== 1) throw await refuse('account_deactivated', known.id)
  const { id } = await upsertDirectoryPerson(db, {
    directoryId,
    username: name,
    displayName,
    email,
  })
  await applyDirectoryAccess(db, id, groups, actor)
  return id
}
