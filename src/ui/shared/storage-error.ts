import type { TFunction } from 'i18next'
import { isStorageError } from '../../state/errors.ts'

/** A storage failure in the person's language; unknown failures get a general message. */
export function storageErrorMessage(error: unknown, t: TFunction): string {
  if (isStorageError(error)) {
    const key = `storageError.${error.code}`
    const text = t(key)
    return text === key ? t('storageError.unknown') : text
  }
  return t('storageError.unknown')
}
