import { describe, expect, it } from 'vitest'
import {
  CORS_CHILD_CUTOFF,
  changeCategory,
  cutoffFor,
  DEFAULT_NORMS,
  isClinicallySignificantChange,
  jacobsonTruaxCutoff,
  MILLER_2003,
  NORM_VERIFIED,
  ORS_ADOLESCENT_CUTOFF,
  ORS_ADULT_CUTOFF,
  ORS_RELIABLE_CHANGE,
  reliableChangeIndex,
  SRS_CUTOFF,
  SRS_DROP,
  SRS_ITEM_FLAG,
  srsFlags,
} from '../../src/core/index.ts'

describe('published figures', () => {
  it('carries the reference figures and marks which are verified', () => {
    expect([ORS_ADULT_CUTOFF, CORS_CHILD_CUTOFF, ORS_ADOLESCENT_CUTOFF, SRS_CUTOFF]).toEqual([
      25, 32, 28, 36,
    ])
    expect([SRS_ITEM_FLAG, SRS_DROP, ORS_RELIABLE_CHANGE]).toEqual([9, 1, 5])
    expect(MILLER_2003).toEqual({
      nonClinicalMean: 28,
      clinicalMean: 19.6,
      clinicalN: 435,
      cutoff: 25,
    })
    expect(NORM_VERIFIED.orsAdolescentCutoff).toBe(false)
    expect(NORM_VERIFIED.srsItemFlag).toBe(false)
    expect(NORM_VERIFIED.reliableChange).toBe(false)
    expect(NORM_VERIFIED.orsAdultCutoff).toBe(true)
  })
})

describe('cutoffFor', () => {
  it('picks the cut-off by form and age group', () => {
    expect(cutoffFor('ORS', 'adult')).toBe(25)
    expect(cutoffFor('ORS', 'adolescent')).toBe(28)
    expect(cutoffFor('CORS', 'child')).toBe(32)
    expect(cutoffFor('SRS', 'adult')).toBe(36)
    expect(cutoffFor('CSRS', 'child')).toBe(36)
    expect(cutoffFor('GSRS', 'adolescent')).toBe(36)
  })

  it('has no cut-off for unscored forms or outside the band a norm was collected in', () => {
    expect(cutoffFor('YCORS', 'young')).toBeNull()
    expect(cutoffFor('YCSRS', 'young')).toBeNull()
    expect(cutoffFor('ORS', 'child')).toBeNull()
    expect(cutoffFor('CORS', 'adolescent')).toBeNull()
  })

  it('takes overrides for the unverified adolescent cut-off (and the others)', () => {
    expect(cutoffFor('ORS', 'adolescent', { orsAdolescentCutoff: 27 })).toBe(27)
    expect(cutoffFor('ORS', 'adult', { orsAdolescentCutoff: 27 })).toBe(25)
    expect(cutoffFor('SRS', 'adult', { srsCutoff: 35 })).toBe(35)
    expect(DEFAULT_NORMS.orsAdolescentCutoff).toBe(28) // overrides never leak into the defaults
  })
})

describe('Jacobson & Truax', () => {
  it('computes the RCI on hand-computed cases', () => {
    // SD1 = 10, r = .5: 1.96 · 10 · √2 · √.5 = 1.96 · 10 · 1 = 19.6
    expect(reliableChangeIndex(10, 0.5)).toBeCloseTo(19.6, 10)
    // SD1 = 5, r = .8: 1.96 · 5 · 1.414214 · 0.447214 = 6.19806
    expect(reliableChangeIndex(5, 0.8)).toBeCloseTo(6.19806, 4)
    // Perfect reliability: any change is reliable.
    expect(reliableChangeIndex(7, 1)).toBe(0)
    expect(() => reliableChangeIndex(5, 1.2)).toThrow(RangeError)
    expect(() => reliableChangeIndex(-1, 0.5)).toThrow(RangeError)
  })

  it('computes the cut-off c on hand-computed cases', () => {
    // Equal SDs: c is the midpoint. (28 + 19.6) / 2 = 23.8
    expect(jacobsonTruaxCutoff(28, 6, 19.6, 6)).toBeCloseTo(23.8, 10)
    // The published ORS means (Miller et al. 2003: 28.0 non-clinical, 19.6 clinical) give the
    // published cut-off 25 when the clinical SD is 1.8 times the non-clinical one:
    //   c = (SD0·19.6 + SD1·28) / (SD0 + SD1) = 25  ⇔  3·SD1 = 5.4·SD0  ⇔  SD1 = 1.8·SD0.
    // With SD0 = 5, SD1 = 9 (illustrative, not the published SDs): (98 + 252) / 14 = 25.
    expect(
      jacobsonTruaxCutoff(MILLER_2003.nonClinicalMean, 5, MILLER_2003.clinicalMean, 9),
    ).toBeCloseTo(25, 10)
    // A wider non-clinical spread pulls c towards the clinical mean.
    expect(jacobsonTruaxCutoff(28, 9, 19.6, 5)).toBeCloseTo((9 * 19.6 + 5 * 28) / 14, 10)
    expect(() => jacobsonTruaxCutoff(28, 0, 19.6, 5)).toThrow(RangeError)
  })
})

describe('changeCategory', () => {
  it('counts a change of exactly 5 as reliable, in both directions', () => {
    expect(changeCategory(19, 24)).toBe('reliable-improvement')
    expect(changeCategory(24, 19)).toBe('reliable-deterioration')
    expect(changeCategory(19, 23.9)).toBe('no-reliable-change')
    expect(changeCategory(24, 19.1)).toBe('no-reliable-change')
  })

  it('is not fooled by float noise in the difference', () => {
    expect(8.2 - 3.2).toBe(4.999999999999999)
    expect(changeCategory(3.2, 8.2)).toBe('reliable-improvement')
    expect(changeCategory(8.2, 3.2)).toBe('reliable-deterioration')
  })

  it('uses a configured reliable change', () => {
    expect(changeCategory(19, 24, 6)).toBe('no-reliable-change')
    expect(changeCategory(19, 23, 4)).toBe('reliable-improvement')
  })
})

describe('isClinicallySignificantChange', () => {
  it('needs intake below the cut-off, latest at/above it, and reliable improvement', () => {
    expect(isClinicallySignificantChange(19, 25, 25)).toBe(true)
    expect(isClinicallySignificantChange(19, 24.9, 25)).toBe(false) // still below: 25 is the first score out
    expect(isClinicallySignificantChange(21, 25, 25)).toBe(false) // crossed, but only 4 points
    expect(isClinicallySignificantChange(25, 31, 25)).toBe(false) // 25 is not below the cut-off
    expect(isClinicallySignificantChange(24.9, 30, 25)).toBe(true)
    expect(isClinicallySignificantChange(21, 25, 25, 4)).toBe(true)
  })
})

const srs = (values: [number, number, number, number]) => ({
  total: values.reduce((s, v) => s + v, 0),
  items: {
    'srs.relationship': values[0],
    'srs.goals': values[1],
    'srs.approach': values[2],
    'srs.overall': values[3],
  },
})

describe('srsFlags', () => {
  it('flags a total below 36 but not exactly 36', () => {
    expect(srsFlags(srs([9, 9, 9, 9]))).toEqual([])
    expect(srsFlags(srs([9, 9, 9, 8.9]))).toEqual([
      { kind: 'below-cutoff', total: 35.9, cutoff: 36 },
      { kind: 'item-low', items: [{ itemId: 'srs.overall', score: 8.9 }], threshold: 9 },
    ])
  })

  it('flags items below 9 and names them', () => {
    const flags = srsFlags(srs([10, 8.5, 10, 8.9]))
    expect(flags).toEqual([
      {
        kind: 'item-low',
        items: [
          { itemId: 'srs.goals', score: 8.5 },
          { itemId: 'srs.overall', score: 8.9 },
        ],
        threshold: 9,
      },
    ])
  })

  it('flags a drop of exactly 1.0 but not 0.9, robust to float noise', () => {
    expect(srsFlags(srs([10, 10, 9.5, 9.5]), { total: 40 })).toEqual([
      { kind: 'drop', total: 39, previousTotal: 40, drop: 1 },
    ])
    expect(srsFlags(srs([10, 10, 9.5, 9.6]), { total: 40 })).toEqual([])
    // 38.3 − 37.3 is 0.9999999999999964 in floating point.
    expect(srsFlags({ total: 37.3, items: {} }, { total: 38.3 })).toEqual([
      { kind: 'drop', total: 37.3, previousTotal: 38.3, drop: 1 },
    ])
    expect(srsFlags(srs([10, 10, 10, 10]), { total: 39 })).toEqual([])
  })

  it('follows configured thresholds (the unverified item flag in particular)', () => {
    expect(srsFlags(srs([10, 10, 10, 8.9]), null, { srsItemFlag: 8 })).toEqual([])
    expect(srsFlags(srs([10, 10, 10, 7.9]), null, { srsItemFlag: 8 })).toMatchObject([
      { kind: 'item-low' },
    ])
    expect(srsFlags(srs([10, 10, 9, 9]), null, { srsCutoff: 38.5 })).toMatchObject([
      { kind: 'below-cutoff', cutoff: 38.5 },
    ])
    expect(srsFlags(srs([10, 10, 10, 9.5]), { total: 40 }, { srsDrop: 0.5 })).toMatchObject([
      { kind: 'drop', drop: 0.5 },
    ])
  })
})
