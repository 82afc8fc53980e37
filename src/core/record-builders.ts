// Builders for synced records: the fields a plain form takes unless the caller says otherwise.
import type { AdministrationPayload } from './record-schemas.ts'

/** Fields that have a plain default: a final first version, no group session, no correction, not voided. */
type Defaulted =
  | 'status'
  | 'groupSessionId'
  | 'memberLabel'
  | 'versionOf'
  | 'supersedes'
  | 'supersededBy'
  | 'correctionReason'
  | 'voided'
  | 'startedAt'
  | 'createdAt'
  | 'updatedAt'

export type FinalFormInput = Omit<AdministrationPayload, Defaulted> &
  Partial<Pick<AdministrationPayload, Defaulted>>

/** A final form as a tablet sends it; started, created and updated when it was marked unless given. */
export function finalForm(input: FinalFormInput): AdministrationPayload {
  return {
    status: 'final',
    groupSessionId: null,
    memberLabel: null,
    versionOf: null,
    supersedes: null,
    supersededBy: null,
    correctionReason: null,
    voided: null,
    startedAt: input.markedAt,
    createdAt: input.markedAt,
    updatedAt: input.markedAt,
    ...input,
  }
}
