// A leaver's end of access (people.access_ends_at): checked at sign-in, refresh and every request, and swept periodically.
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { audit } from './audit.ts'
import { deactivatePerson } from './deactivation.ts'

/** Linja's organisations are Norwegian municipalities: a last day ends at midnight Norwegian time. */
export const ORGANISATION_TIME_ZONE = 'Europe/Oslo'

/** Milliseconds the zone is ahead of UTC at instant t. */
function zoneOffsetMs(t: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(t))
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0)
  return (
    Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) -
    t
  )
}

/** The instant a last day (YYYY-MM-DD) is over: the next midnight in the organisation's zone, as ISO. */
export function endOfLastDay(day: string, timeZone = ORGANISATION_TIME_ZONE): string {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number)
  const midnightAsUtc = Date.UTC(y, m - 1, d + 1)
  let t = midnightAsUtc - zoneOffsetMs(midnightAsUtc, timeZone)
  // Near a daylight-saving change the offset at the guess may differ from the one at the answer.
  t = midnightAsUtc - zoneOffsetMs(t, timeZone)
  return new Date(t).toISOString()
}

/** Ends the access of one person whose last day is over; true when it ended now. */
export async function endIfOver(
  db: Kysely<Database>,
  person: { id: string; active: number; access_ends_at: string | null },
  nowMs: number,
): Promise<boolean> {
  if (person.active !== 1 || person.access_ends_at === null) return false
  if (Date.parse(person.access_ends_at) > nowMs) return false
  await deactivatePerson(db, person.id, new Date(nowMs).toISOString())
  await audit(db, {
    actorId: null,
    action: 'access_ended',
    target: person.id,
    details: { accessEndsAt: person.access_ends_at },
  })
  return true
}

/** Everyone whose last day is over loses access (run at start and every few minutes). */
export async function sweepLeavers(db: Kysely<Database>, nowMs: number): Promise<number> {
  const due = await db
    .selectFrom('people')
    .select(['id', 'active', 'access_ends_at'])
    .where('active', '=', 1)
    .where('access_ends_at', 'is not', null)
    .where('access_ends_at', '<=', new Date(nowMs).toISOString())
    .execute()
  let ended = 0
  for (const person of due) if (await endIfOver(db, person, nowMs)) ended += 1
  return ended
}
