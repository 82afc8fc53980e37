// The scoring core's public surface: pure TypeScript shared by the app and the sync server.

export type { AggregateOptions, Aggregates, ReportFigure } from './aggregates.ts'
export { computeAggregates, FactsFold, foldFacts } from './aggregates.ts'
export type {
  LinePoint,
  OutcomeChart,
  OutcomePoint,
  ReliableChangeMark,
  SessionChart,
  SessionPoint,
} from './chart-series.ts'
export { CHART_LOOKAHEAD, CHART_MIN_SESSIONS, outcomeChart, sessionChart } from './chart-series.ts'
export type { CellTable, CellTruth, Margin, Margins } from './complementary-suppression.ts'
export {
  cellTable,
  complementarySuppression,
  type Derivable,
  derivableCells,
  ELIMINATION_BUDGET,
  MarginPacker,
  packMargins,
} from './complementary-suppression.ts'
export { csvText } from './csv-cell.ts'
export type { OutcomeChange } from './episode.ts'
export {
  countedAdministrations,
  daysBetween,
  isClosed,
  isCounted,
  outcomeChange,
  outcomeSeries,
  scoredAdministrations,
  sessionRatingSeries,
} from './episode.ts'
export type { EpisodeFacts } from './episode-facts.ts'
export { episodeFacts } from './episode-facts.ts'
export type { CsvColumn, CsvOptions, ExportRow } from './export-csv.ts'
export { administrationsToCsv, CSV_COLUMNS, CSV_MAX_ITEMS } from './export-csv.ts'
export type {
  FhirBundle,
  FhirCoding,
  FhirExtension,
  FhirOptions,
  FhirQuestionnaire,
  FhirQuestionnaireItem,
  FhirQuestionnaireResponse,
  FhirReference,
  FhirResponseItem,
} from './export-fhir.ts'
export {
  bundleFor,
  CLIENT_CODE_SYSTEM,
  DEFAULT_CANONICAL_BASE,
  FHIR_MAX_DECIMAL_PLACES,
  FHIR_MAX_VALUE,
  FHIR_MIN_VALUE,
  LINJA_CODE_SYSTEM_BASE,
  LINJA_EXTENSION_BASE,
  questionnaireFor,
  questionnaireResponseFor,
  questionnaireUrl,
} from './export-fhir.ts'
export type { Instrument, InstrumentItem } from './instruments.ts'
export {
  AGE_GROUP_BOUNDS,
  ageFromBirthYear,
  ageGroupForAge,
  formsForAge,
  getInstrument,
  INSTRUMENTS,
  isInstrumentId,
} from './instruments.ts'
export type { ChangeCategory, NormSettings, SessionRating, SrsFlag } from './norms.ts'
export {
  CHANGE_CATEGORIES,
  CORS_CHILD_CUTOFF,
  changeCategory,
  cutoffFor,
  DEFAULT_NORMS,
  isClinicallySignificantChange,
  jacobsonTruaxCutoff,
  MILLER_2003,
  NORM_VERIFIED,
  NORMATIVE_SESSIONS,
  ORS_ADOLESCENT_CUTOFF,
  ORS_ADULT_CUTOFF,
  ORS_RELIABLE_CHANGE,
  RCI_Z,
  reliableChangeIndex,
  resolveNorms,
  SRS_CUTOFF,
  SRS_DROP,
  SRS_ITEM_FLAG,
  srsFlags,
} from './norms.ts'
export type { Period, PeriodKind } from './periods.ts'
export {
  DATE_RANGE,
  inPeriod,
  isCalendarDate,
  isCalendarDateTime,
  nextPeriod,
  PERIOD_KINDS,
  periodOf,
  periodsBetween,
} from './periods.ts'
export type {
  AdministrationPayload,
  ClientPayload,
  EpisodePayload,
  EpisodeReopening,
  SyncPayload,
  VoidMark,
} from './record-schemas.ts'
export type { ProtectedCell, ProtectedYear, ReportScope } from './report-protection.ts'
export {
  figureAt,
  figurePaths,
  ORGANISATION_NODE,
  protectYear,
  YearFolds,
} from './report-protection.ts'
export type {
  ItemCheck,
  ParseTypedScoreResult,
  ScoreError,
  ScoreErrorCode,
  TypedScoreError,
  ValidateItemsResult,
} from './scoring.ts'
export {
  checkItemValue,
  finalScoresProblem,
  hasAtMostOneDecimal,
  ITEM_MAX,
  ITEM_MIN,
  parseTypedScore,
  roundScore,
  scoreFromFraction,
  totalScore,
  validateItems,
} from './scoring.ts'
export { mean, percent, sampleSd } from './stats.ts'
export type {
  EpisodeStatus,
  ReasonRole,
  StatusColour,
  StatusReason,
  StatusReasonKey,
  StatusSettings,
} from './status.ts'
export {
  COLOUR_RULES,
  episodeStatus,
  REASON_ROLES,
  reasonRole,
  STATUS_COLOURS,
  STATUS_REASON_KEYS,
} from './status.ts'
export type { SuppressOptions } from './suppression.ts'
export { MIN_CLIENTS_FOR_REPORT, suppressSmallGroups } from './suppression.ts'
export type {
  ResolvedTexts,
  TextPack,
  TextPackEntry,
  TextPackError,
  TextPackErrorCode,
  TextPackLicence,
  ValidateTextPackResult,
} from './text-pack.ts'
export {
  extraPackLanguages,
  MAX_TEXT_LENGTH,
  resolveTexts,
  TEXT_PACK_ERROR_CODES,
  TEXT_PACK_FORMAT,
  TEXT_PACK_FORMAT_VERSION,
  textDirection,
  validateTextPack,
} from './text-pack.ts'
export type { FitOptions, FitResult, TrajectoryParams, TrajectoryPoint } from './trajectory.ts'
export {
  atRiskAt,
  DEFAULT_TRAJECTORY,
  expectedAt,
  fitTrajectory,
  MIN_EPISODES_FOR_FIT,
  percentile,
  TOTAL_MAX,
  TOTAL_MIN,
  targetAt,
  trajectoryCurve,
} from './trajectory.ts'
export type {
  AdministrationRecord,
  AdministrationStatus,
  AgeGroup,
  CollectedBy,
  Ending,
  EpisodeRecord,
  Figure,
  InstrumentId,
  InstrumentKind,
  Locale,
  LocalisedText,
  Rater,
  Timing,
} from './types.ts'
export {
  ADMINISTRATION_STATUSES,
  AGE_GROUPS,
  CLIENT_CODE_MAX_LENGTH,
  COLLECTED_BY,
  ENDINGS,
  INSTRUMENT_IDS,
  INSTRUMENT_KINDS,
  LOCALES,
  RATERS,
  TIMINGS,
} from './types.ts'
