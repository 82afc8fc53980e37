import { describe, expect, it } from 'vitest'
import type { PersonView } from '../../src/state/admin-store.ts'
import { orderStaff, standingOf } from '../../src/state/staff-order.ts'

const person = (username: string, more: Partial<PersonView> = {}): PersonView => ({
  id: username,
  username,
  displayName: username,
  active: true,
  roles: ['practitioner'],
  unitIds: [],
  supervisorIds: [],
  twoFactor: false,
  accessEndsAt: null,
  deactivatedAt: null,
  ...more,
})

describe("the administrator's staff list", () => {
  it('keeps working and leaving people in place and puts those who have left last, the latest first', () => {
    const list = [
      person('anne', { active: false, deactivatedAt: '2026-10-01T08:00:00.000Z' }),
      person('bjorn', { accessEndsAt: '2026-12-31T23:00:00.000Z' }),
      person('cato', { active: false }),
      person('dina'),
      person('eva', {
        active: false,
        accessEndsAt: '2026-11-20T23:00:00.000Z',
        deactivatedAt: '2026-11-20T23:01:00.000Z',
      }),
    ]
    expect(orderStaff(list).map((p) => p.username)).toEqual([
      'bjorn',
      'dina',
      'eva',
      'anne',
      'cato',
    ])
    expect(list.map(standingOf)).toEqual(['left', 'leaving', 'left', 'active', 'left'])
  })

  it('reads a copy kept before the server sent end dates as people without one', () => {
    const { accessEndsAt: _a, deactivatedAt: _d, ...old } = person('frida')
    expect(standingOf(old)).toBe('active')
  })
})
