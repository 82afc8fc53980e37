import type { TFunction } from 'i18next'
import { syncErrorText } from '../../account/sync-words.ts'

/** Refusals of the remote-link routes that have words of their own (`remote.refusal.*`). */
const REFUSALS = new Set([
  'episode_ended',
  'episode_unknown',
  'client_unknown',
  'channel_off',
  'delivery_invalid',
  'rater_not_allowed',
  'link_not_waiting',
  'link_unknown',
  'reminder_already_sent',
  'reminder_not_possible',
])

/** Why making, revoking or reminding failed, in the practitioner's words. */
export function remoteErrorText(failure: unknown, t: TFunction): string {
  const code =
    failure !== null && typeof failure === 'object' && 'code' in failure
      ? String(failure.code)
      : undefined
  return code && REFUSALS.has(code) ? t(`remote.refusal.${code}`) : syncErrorText(failure, t)
}
