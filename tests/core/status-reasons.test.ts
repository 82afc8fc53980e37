import fc from 'fast-check'
import i18next from 'i18next'
import { describe, expect, it } from 'vitest'
import {
  type AgeGroup,
  COLOUR_RULES,
  type EpisodeStatus,
  episodeStatus,
  type InstrumentId,
  reasonRole,
  type StatusReasonKey,
  type TrajectoryParams,
} from '../../src/core/index.ts'
import { intlLocale, UI_LOCALES, type UiLocale } from '../../src/i18n/index.ts'
import { en } from '../../src/i18n/locales/en.ts'
import { nb } from '../../src/i18n/locales/nb.ts'
import { nn } from '../../src/i18n/locales/nn.ts'
import { reasonText } from '../../src/ui/clients/reason-text.ts'
import { adm, episode } from './builders.ts'

const FORMS: InstrumentId[] = ['ORS', 'SRS', 'CORS', 'CSRS', 'GSRS', 'YCORS', 'YCSRS']
const AGE_GROUPS: AgeGroup[] = ['young', 'child', 'adolescent', 'adult']

const administration = fc.record({
  form: fc.constantFrom(...FORMS),
  session: fc.integer({ min: 1, max: 12 }),
  tenths: fc.integer({ min: 0, max: 400 }),
  rater: fc.constantFrom('client' as const, 'parent' as const),
  draft: fc.boolean(),
  voided: fc.boolean(),
})

const trajectory: fc.Arbitrary<TrajectoryParams | undefined> = fc.option(
  fc.record({
    a: fc.double({ min: -5, max: 10, noNaN: true }),
    b: fc.double({ min: -0.5, max: 0.2, noNaN: true }),
    targetOffset: fc.double({ min: -2, max: 2, noNaN: true }),
    atRiskOffset: fc.double({ min: -6, max: 0, noNaN: true }),
    n: fc.constant(40),
    source: fc.constant('fitted' as const),
  }),
  { nil: undefined },
)

const mixed: fc.Arbitrary<EpisodeStatus> = fc
  .record({
    ageGroup: fc.constantFrom(...AGE_GROUPS),
    // Mostly final, scored forms, so every colour is reached often.
    records: fc.array(administration, { maxLength: 10 }),
    trajectory,
  })
  .map(({ ageGroup, records, trajectory: params }) =>
    episodeStatus(
      episode(
        { ageGroup },
        records.map((r) =>
          adm(r.form, {
            session: r.session,
            total: r.form.startsWith('YC') ? Math.min(4, r.tenths % 5) : r.tenths / 10,
            rater: r.rater,
            status: r.draft && r.tenths % 3 === 0 ? 'draft' : 'final',
            voided: r.voided && r.tenths % 4 === 0,
          }),
        ),
      ),
      params ? { trajectory: params } : {},
    ),
  )

/** An adult's ORS series that moves a little each session: reaches orange and green often. */
const followed: fc.Arbitrary<EpisodeStatus> = fc
  .record({
    intake: fc.integer({ min: 50, max: 350 }),
    steps: fc.array(fc.integer({ min: -40, max: 60 }), { minLength: 1, maxLength: 6 }),
    srs: fc.option(fc.integer({ min: 300, max: 400 }), { nil: undefined }),
  })
  .map(({ intake, steps, srs }) => {
    let tenths = intake
    const totals = [intake, ...steps.map((d) => (tenths = Math.min(400, Math.max(0, tenths + d))))]
    const records = totals.map((t, i) => adm('ORS', { session: i + 1, total: t / 10 }))
    if (srs !== undefined) records.push(adm('SRS', { session: totals.length, total: srs / 10 }))
    return episodeStatus(episode({ ageGroup: 'adult' }, records))
  })

const statuses = fc.oneof(mixed, followed)

/** The words in each language that name the rule behind a colour reason. */
const RULE_WORDS: Record<UiLocale, Record<StatusReasonKey, RegExp>> = {
  nb: {
    'status.reason.tooFewOutcome': /Ingen ORS ennå|Første time: ingen trend|minst 2 trengs/,
    'status.reason.unscoredOnly': /gir ingen farge/,
    'status.reason.belowAtRisk': /under risikolinjen for forventet forløp/,
    'status.reason.reliableDeterioration': /Pålitelig forverring/,
    'status.reason.srsBelowCutoff': /under grensen for samarbeid/,
    'status.reason.srsDrop': /falt fra/,
    'status.reason.srsItemLow': /under/,
    'status.reason.clinicalIntake': /Starter i klinisk område/,
    'status.reason.belowTarget': /under mållinjen .* ikke under risikolinjen/,
    'status.reason.onTarget': /på eller over mållinjen/,
  },
  nn: {
    'status.reason.tooFewOutcome': /Ingen ORS enno|Første time: ingen trend|minst 2 trengst/,
    'status.reason.unscoredOnly': /gir inga farge/,
    'status.reason.belowAtRisk': /under risikolinja for forventa forløp/,
    'status.reason.reliableDeterioration': /Påliteleg forverring/,
    'status.reason.srsBelowCutoff': /under grensa for samarbeid/,
    'status.reason.srsDrop': /fall frå/,
    'status.reason.srsItemLow': /under/,
    'status.reason.clinicalIntake': /Startar i klinisk område/,
    'status.reason.belowTarget': /under mållinja .* ikkje under risikolinja/,
    'status.reason.onTarget': /på eller over mållinja/,
  },
  en: {
    'status.reason.tooFewOutcome': /No ORS yet|First session: no trend|at least 2 are needed/,
    'status.reason.unscoredOnly': /gives no colour/,
    'status.reason.belowAtRisk': /below the at-risk line of the expected trajectory/,
    'status.reason.reliableDeterioration': /Reliable deterioration/,
    'status.reason.srsBelowCutoff': /below the alliance cut-off/,
    'status.reason.srsDrop': /fell from/,
    'status.reason.srsItemLow': /below/,
    'status.reason.clinicalIntake': /Starts in the clinical range/,
    'status.reason.belowTarget': /below the target line .* not below the at-risk line/,
    'status.reason.onTarget': /at or above the target line/,
  },
}

/** The line or limit each colour rule compares with: its value must be in the words. */
const LINE_VALUE: Partial<Record<StatusReasonKey, string>> = {
  'status.reason.belowAtRisk': 'boundary',
  'status.reason.reliableDeterioration': 'rci',
  'status.reason.srsBelowCutoff': 'cutoff',
  'status.reason.srsDrop': 'previous',
  'status.reason.belowTarget': 'target',
  'status.reason.onTarget': 'target',
  'status.reason.clinicalIntake': 'cutoff',
}

const i18n = i18next.createInstance()
await i18n.init({
  lng: 'nb',
  resources: { nb: { translation: nb }, nn: { translation: nn }, en: { translation: en } },
  interpolation: { escapeValue: false },
})

function words(locale: UiLocale) {
  const t = i18n.getFixedT(locale)
  const one = new Intl.NumberFormat(intlLocale(locale), {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  })
  return { t, score: (v: number) => one.format(v) }
}

describe('status reasons (property)', () => {
  it('every status has at least one reason that sets its colour, and only rules of that colour do', () => {
    const seen = new Set<string>()
    fc.assert(
      fc.property(statuses, (status) => {
        seen.add(status.colour)
        const colourReasons = status.reasons.filter((r) => reasonRole(r) === 'colour')
        expect(colourReasons.length).toBeGreaterThan(0)
        for (const r of colourReasons) expect(COLOUR_RULES[status.colour]).toContain(r.key)
        // An alliance alarm the colour did not use is only ever beside a grey status.
        for (const r of status.reasons.filter((x) => reasonRole(x) === 'act')) {
          expect(status.colour).toBe('grey')
          expect(COLOUR_RULES.red).toContain(r.key)
        }
      }),
      { numRuns: 600 },
    )
    expect([...seen].sort()).toEqual(['green', 'grey', 'orange', 'red'])
  }, 60_000)

  it('the reasons agree with the numbers they quote', () => {
    fc.assert(
      fc.property(statuses, (status) => {
        const p = status.position
        for (const { key, values: v } of status.reasons) {
          if (key === 'status.reason.belowAtRisk') expect(v.score).toBeLessThan(Number(v.boundary))
          if (key === 'status.reason.belowTarget') {
            expect(v.score).toBeLessThan(Number(v.target))
            expect(v.score).toBeGreaterThanOrEqual(Number(v.boundary))
          }
          if (key === 'status.reason.onTarget')
            expect(v.score).toBeGreaterThanOrEqual(Number(v.target))
          if (key === 'status.reason.clinicalIntake')
            expect(v.intake).toBeLessThan(Number(v.cutoff))
          if (key === 'status.reason.belowAtRisk' || key === 'status.reason.belowTarget')
            expect(p?.atRisk).toBe(v.boundary)
        }
      }),
      { numRuns: 300 },
    )
  }, 60_000)

  it('in nb, nn and en every reason is words that name its rule and the line it compared with', () => {
    fc.assert(
      fc.property(statuses, fc.constantFrom(...UI_LOCALES), (status, locale) => {
        const { t, score } = words(locale)
        for (const reason of status.reasons) {
          const text = reasonText((k, v) => t(k, v), score, reason)
          expect(text).not.toContain('{{')
          expect(text).not.toContain('status.reason')
          expect(text).toMatch(RULE_WORDS[locale][reason.key])
          const line = LINE_VALUE[reason.key]
          if (line) expect(text).toContain(score(Number(reason.values[line])))
        }
      }),
      { numRuns: 300 },
    )
  }, 60_000)
})
