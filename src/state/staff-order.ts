// The order of the administrator's staff list: people still working first, those who have left last.
import type { PersonView } from './admin-store.ts'

/** Where a person stands: working, leaving (a last day is set) or gone (no access any more). */
export type StaffStanding = 'active' | 'leaving' | 'left'

export const standingOf = (p: PersonView): StaffStanding =>
  !p.active ? 'left' : p.accessEndsAt ? 'leaving' : 'active'

/**
 * Working and leaving people keep the server's order (by username), so a leaver stays where the
 * admin looks for them until the access ends; people who have left go to the end, the most recent
 * first, with those whose date is not known last.
 */
export function orderStaff(people: readonly PersonView[]): PersonView[] {
  const here = people.filter((p) => p.active)
  const gone = people
    .filter((p) => !p.active)
    .sort((a, b) => (b.deactivatedAt ?? '').localeCompare(a.deactivatedAt ?? ''))
  return [...here, ...gone]
}
