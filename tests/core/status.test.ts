import { describe, expect, it } from 'vitest'
import {
  type EpisodeStatus,
  episodeStatus,
  type ReasonRole,
  reasonRole,
  STATUS_REASON_KEYS,
  type TrajectoryParams,
} from '../../src/core/index.ts'
import { adm, episode, orsEpisode } from './builders.ts'

/** The reasons of one role, without the role field: what a test about that role compares. */
const byRole = (status: EpisodeStatus, role: ReasonRole = 'colour') =>
  status.reasons.filter((r) => reasonRole(r) === role).map(({ key, values }) => ({ key, values }))

// With the default trajectory, intake 19 at session 6 (k = 6):
//   expected = 19 + (7.61 − 0.2537·19)·ln 6 = 23.998 → target 24.0 (median offset 0)
//   at-risk  = 23.998 − 2.5·ln 6 = 19.519 → 19.5
const at6 = (score: number) => orsEpisode([19, 20, 21, 21, 22, score])

/** A flat trajectory with the at-risk line far below, to isolate the other red rules. */
const flat: TrajectoryParams = {
  a: 0,
  b: 0,
  targetOffset: 0,
  atRiskOffset: -100,
  n: 0,
  source: 'default',
}

describe('episodeStatus: grey', () => {
  it('is grey with one outcome form, naming the reason', () => {
    const first = episodeStatus(orsEpisode([19]))
    expect(first.colour).toBe('grey')
    expect(byRole(first)).toEqual([{ key: 'status.reason.tooFewOutcome', values: { count: 1 } }])
    expect(episodeStatus(orsEpisode([])).reasons).toEqual([
      { key: STATUS_REASON_KEYS.tooFewOutcome, values: { count: 0 }, role: 'colour' },
    ])
  })

  it('ignores drafts and voided forms when counting', () => {
    const e = episode({}, [
      adm('ORS', { session: 1, total: 19 }),
      adm('ORS', { session: 2, total: 10, status: 'draft' }),
      adm('ORS', { session: 3, total: 10, voided: true }),
    ])
    expect(episodeStatus(e).colour).toBe('grey')
  })

  it('does not mix a parent rating into the client series', () => {
    const e = episode({}, [
      adm('ORS', { session: 1, total: 19 }),
      adm('ORS', { session: 6, total: 5, rater: 'parent' }),
    ])
    expect(episodeStatus(e).colour).toBe('grey')
    expect(byRole(episodeStatus(e))).toMatchObject([{ values: { count: 1 } }])
    expect(byRole(episodeStatus(e), 'note')).toEqual([
      {
        key: 'status.reason.clinicalIntake',
        values: { intake: 19, cutoff: 25, session: 1, instrument: 'ORS' },
      },
    ])
  })

  it('follows a collateral rater when the client never rated', () => {
    const e = episode({ ageGroup: 'child' }, [
      adm('CORS', { session: 1, total: 20, rater: 'parent' }),
      adm('CORS', { session: 2, total: 30, rater: 'parent' }),
    ])
    expect(episodeStatus(e).colour).toBe('green')
  })

  it('never colours by the unscored young-child forms', () => {
    const e = episode({ ageGroup: 'young' }, [
      adm('YCORS', { session: 1, total: 2 }),
      adm('YCORS', { session: 2, total: 1 }),
      adm('YCSRS', { session: 2, total: 1 }),
    ])
    expect(episodeStatus(e)).toEqual({
      colour: 'grey',
      reasons: [
        { key: 'status.reason.unscoredOnly', values: { instrument: 'YCORS' }, role: 'colour' },
      ],
    })
  })

  it('says grey is the first session, and lists an alliance alarm beside it to act on now', () => {
    const e = episode({}, [
      adm('ORS', { session: 1, total: 19 }),
      adm('SRS', { session: 1, total: 30 }),
    ])
    const status = episodeStatus(e)
    expect(status.colour).toBe('grey')
    expect(status.reasons.map((r) => [r.key, r.role])).toEqual([
      ['status.reason.tooFewOutcome', 'colour'],
      ['status.reason.srsBelowCutoff', 'act'],
      ['status.reason.clinicalIntake', 'note'],
      ['status.reason.srsItemLow', 'note'], // 30 over four items puts every item at 7.5
    ])
  })

  it('names an intake below the cut-off for the age group, and not one at it', () => {
    const note = (ageGroup: 'adult' | 'adolescent', total: number) =>
      byRole(episodeStatus(episode({ ageGroup }, [adm('ORS', { session: 1, total })])), 'note')
    expect(note('adult', 24.9)).toEqual([
      {
        key: 'status.reason.clinicalIntake',
        values: { intake: 24.9, cutoff: 25, session: 1, instrument: 'ORS' },
      },
    ])
    expect(note('adult', 25)).toEqual([])
    expect(note('adolescent', 27.9)).toMatchObject([{ values: { cutoff: 28 } }])
  })
})

describe('episodeStatus: against the trajectory', () => {
  it('is green at the target (24.0) and orange just under it (23.9)', () => {
    const green = episodeStatus(at6(24))
    expect(green).toMatchObject({
      colour: 'green',
      position: { intake: 19, score: 24, session: 6, k: 6, expected: 24, target: 24, atRisk: 19.5 },
    })
    expect(byRole(green)).toEqual([
      {
        key: 'status.reason.onTarget',
        values: { score: 24, target: 24, session: 6, instrument: 'ORS' },
      },
    ])
    const orange = episodeStatus(at6(23.9))
    expect(orange.colour).toBe('orange')
    expect(byRole(orange)).toEqual([
      {
        key: 'status.reason.belowTarget',
        values: { score: 23.9, target: 24, boundary: 19.5, session: 6, instrument: 'ORS' },
      },
    ])
  })

  it('is orange exactly on the at-risk boundary (19.5) and red just under it (19.4)', () => {
    expect(episodeStatus(at6(19.5)).colour).toBe('orange')
    const red = episodeStatus(at6(19.4))
    expect(red.colour).toBe('red')
    expect(byRole(red)).toEqual([
      {
        key: 'status.reason.belowAtRisk',
        values: { score: 19.4, boundary: 19.5, session: 6, instrument: 'ORS' },
      },
    ])
  })

  it('says which line a small fall crossed: ORS 23.0 then 22.3 is under the at-risk line 22.5 at session 2', () => {
    // Intake 23, k = 2: expected 23 + (7.61 − 0.2537·23)·ln 2 = 24.23; at-risk 24.23 − 2.5·ln 2 = 22.5.
    const status = episodeStatus(
      episode({}, [
        adm('ORS', { session: 1, total: 23 }),
        adm('SRS', { session: 1, total: 35 }),
        adm('ORS', { session: 2, total: 22.3 }),
      ]),
    )
    expect(status.colour).toBe('red')
    expect(byRole(status)).toEqual([
      {
        key: 'status.reason.belowAtRisk',
        values: { score: 22.3, boundary: 22.5, session: 2, instrument: 'ORS' },
      },
      {
        key: 'status.reason.srsBelowCutoff',
        values: { total: 35, cutoff: 36, session: 1, instrument: 'SRS' },
      },
    ])
    expect(byRole(status, 'act')).toEqual([])
  })

  it('counts sessions from the intake form, not from the start of the episode', () => {
    // Intake at session 3, latest at session 8 → k = 6: same lines as above.
    const e = episode({}, [
      adm('ORS', { session: 3, total: 19 }),
      adm('ORS', { session: 8, total: 23.9 }),
    ])
    expect(episodeStatus(e)).toMatchObject({
      colour: 'orange',
      position: { k: 6, session: 8, target: 24 },
    })
  })

  it('uses the latest version of a corrected form', () => {
    const e = episode({}, [
      adm('ORS', { session: 1, total: 19 }),
      adm('ORS', { session: 6, total: 12, id: 'old', supersededBy: 'new' }),
      adm('ORS', { session: 6, total: 24, id: 'new' }),
    ])
    expect(episodeStatus(e).colour).toBe('green')
  })

  it('uses fitted parameters when given', () => {
    const generous: TrajectoryParams = {
      a: 0,
      b: 0,
      targetOffset: 0,
      atRiskOffset: -10,
      n: 40,
      source: 'fitted',
    }
    expect(episodeStatus(at6(19.4), { trajectory: generous }).colour).toBe('green')
  })
})

describe('episodeStatus: red rules', () => {
  it('is red on reliable deterioration of exactly 5, not 4.9', () => {
    const red = episodeStatus(orsEpisode([19, 14]), { trajectory: flat })
    expect(red).toMatchObject({
      colour: 'red',
      position: { intake: 19, score: 14, session: 2, k: 2, expected: 19, target: 19, atRisk: 0 },
    })
    expect(byRole(red)).toEqual([
      {
        key: 'status.reason.reliableDeterioration',
        values: { intake: 19, score: 14, change: -5, rci: 5, session: 2, instrument: 'ORS' },
      },
    ])
    expect(episodeStatus(orsEpisode([19, 14.1]), { trajectory: flat }).colour).toBe('orange')
    expect(
      episodeStatus(orsEpisode([19, 14.1]), { trajectory: flat, norms: { reliableChange: 4 } })
        .colour,
    ).toBe('red')
  })

  it('names every red reason at once', () => {
    const e = orsEpisode([19, 20, 21, 21, 22, 14])
    e.administrations = [
      ...e.administrations,
      adm('SRS', { session: 5, total: 39 }),
      adm('SRS', { session: 6, total: 35 }),
    ]
    expect(episodeStatus(e).reasons.map((r) => r.key)).toEqual([
      'status.reason.belowAtRisk',
      'status.reason.reliableDeterioration',
      'status.reason.srsBelowCutoff',
      'status.reason.srsDrop',
      'status.reason.clinicalIntake', // informative notes come after the alarms
      'status.reason.srsItemLow',
    ])
  })

  it('is red when the latest SRS is below 36, not when it is exactly 36', () => {
    const withSrs = (total: number) => {
      const e = at6(24)
      e.administrations = [...e.administrations, adm('SRS', { session: 6, total })]
      return episodeStatus(e)
    }
    expect(withSrs(35.9)).toMatchObject({ colour: 'red' })
    expect(byRole(withSrs(35.9))).toEqual([
      {
        key: 'status.reason.srsBelowCutoff',
        values: { total: 35.9, cutoff: 36, session: 6, instrument: 'SRS' },
      },
    ])
    expect(byRole(withSrs(35.9), 'note')[1]).toMatchObject({
      key: 'status.reason.srsItemLow',
      values: { items: 'srs.overall', lowest: 8.9 },
    })
    expect(withSrs(36).colour).toBe('green')
  })

  it('is red when the SRS dropped by 1.0 since the previous SRS, not by 0.9', () => {
    const withDrop = (previous: number, latest: number) => {
      const e = at6(24)
      e.administrations = [
        ...e.administrations,
        adm('SRS', { session: 5, total: previous }),
        adm('SRS', { session: 6, total: latest }),
      ]
      return episodeStatus(e)
    }
    expect(withDrop(39, 38).colour).toBe('red')
    expect(byRole(withDrop(39, 38))).toEqual([
      {
        key: 'status.reason.srsDrop',
        values: { total: 38, previous: 39, drop: 1, session: 6, instrument: 'SRS' },
      },
    ])
    expect(withDrop(39, 38.1).colour).toBe('green')
    expect(withDrop(38.3, 37.3).colour).toBe('red') // float noise: 0.9999999999999964
  })

  it('ignores a voided SRS when finding the latest and previous ratings', () => {
    const e = at6(24)
    e.administrations = [
      ...e.administrations,
      adm('SRS', { session: 5, total: 39 }),
      adm('SRS', { session: 6, total: 30, voided: true }),
    ]
    expect(episodeStatus(e).colour).toBe('green')
  })

  it('notes low SRS items without changing the colour', () => {
    const e = at6(24)
    e.administrations = [
      ...e.administrations,
      adm('SRS', {
        session: 6,
        items: { 'srs.relationship': 10, 'srs.goals': 8.9, 'srs.approach': 10, 'srs.overall': 10 },
      }),
    ]
    expect(episodeStatus(e)).toMatchObject({
      colour: 'green',
      reasons: [
        { key: 'status.reason.onTarget', role: 'colour' },
        { key: 'status.reason.clinicalIntake', role: 'note' },
        {
          key: 'status.reason.srsItemLow',
          values: { items: 'srs.goals', count: 1, lowest: 8.9, threshold: 9, session: 6 },
          role: 'note',
        },
      ],
    })
  })
})
