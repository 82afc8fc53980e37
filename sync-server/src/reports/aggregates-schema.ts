// The wire shape of the core's Aggregates (reports and supervision answers), checked against the core type at compile time.
import { type Static, Type } from 'typebox'
import type { Aggregates } from '../../../src/core/index.ts'

/**
 * A number or null in OpenAPI 3.0's words, which fast-json-stringify writes with a typeof: a Union
 * (anyOf) made it compile an Ajv validator for each of the 40-odd figures on a route's first
 * answer (16 MiB of heap each time) and run one per figure of every row after that.
 */
const NumberOrNull = Type.Unsafe<number | null>({ type: 'number', nullable: true })

const FigureSchema = Type.Object(
  {
    value: NumberOrNull,
    n: Type.Integer({ minimum: 0 }),
    /** Distinct clients the figure rests on (0 when hidden). */
    clients: Type.Integer({ minimum: 0 }),
    /** Present, and true, when the figure is hidden. */
    suppressed: Type.Optional(Type.Literal(true)),
  },
  { additionalProperties: false },
)

const group = <K extends string>(keys: readonly K[]) =>
  Type.Object(
    Object.fromEntries(keys.map((k) => [k, FigureSchema])) as Record<K, typeof FigureSchema>,
    {
      additionalProperties: false,
    },
  )

export const AggregatesSchema = Type.Object(
  {
    clients: group(['total', 'adult', 'adolescent', 'child', 'young']),
    episodes: group(['total', 'closed']),
    collateral: group(['administrations', 'episodes']),
    intakeOutcome: group(['adult', 'adolescent', 'child']),
    intakeSessionRating: FigureSchema,
    sessionsPerEpisode: FigureSchema,
    episodeLengthDays: FigureSchema,
    effectSize: group(['prePost']),
    closedOutcomes: group([
      'reachedTarget',
      'reliableImprovement',
      'reliableDeterioration',
      'clinicallySignificant',
    ]),
    endings: group(['planned', 'unplanned', 'referred', 'other']),
    unplannedEndings: group(['green', 'notGreen']),
    sessionRatingMean: FigureSchema,
    skippedFeedback: FigureSchema,
    /** The whole group rests on too few clients: every figure is hidden. */
    suppressed: Type.Boolean(),
  },
  { additionalProperties: false },
)

// A figure added to the core's Aggregates without the schema (or the other way) fails the typecheck here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const matches: Same<Static<typeof AggregatesSchema>, Aggregates> = true
void matches
