import { useTranslation } from 'react-i18next'
import { Link } from 'wouter'
import { useStorageStatus } from '../../state/storage-status.ts'
import { useSyncStore } from '../../state/sync-store.ts'
import { useUiStore } from '../../state/ui-store.ts'
import { useFormat } from '../shared/use-format.ts'
import { waitingText } from './sync-words.ts'

/**
 * Always visible: online or not, what waits and why it is not sent, the last successful sync
 * (kept across restarts), and whether unsent data is at risk of the browser clearing it.
 */
export function SyncIndicator() {
  const { t } = useTranslation()
  const online = useUiStore((s) => s.online)
  const status = useSyncStore((s) => s.status)
  const person = useSyncStore((s) => s.person)
  const refused = useStorageStatus((s) => s.refused)
  const fmt = useFormat()
  const pending = status?.pending ?? 0
  const parts = [online ? t('network.online') : t('network.offline')]
  if (pending > 0) parts.push(t('sync.pending', { count: pending }))
  const why = waitingText({ status, person, online }, t, 'short')
  if (why) parts.push(why)
  if (status?.state === 'syncing') parts.push(t('sync.syncing'))
  else if (status?.lastSuccessAt)
    parts.push(t('sync.lastAt', { time: fmt.time(status.lastSuccessAt) }))
  if (!why && status?.state === 'logged-out') parts.push(t('sync.notSignedIn'))
  if (!why && (status?.state === 'error' || status?.state === 'update-needed'))
    parts.push(t('sync.problem'))
  if (refused && pending > 0) parts.push(t('sync.atRisk'))
  return (
    <Link
      href="/account"
      className={`net-status ${online ? 'is-online' : 'is-offline'} sync-${status?.state ?? 'idle'}`}
      aria-label={`${t('sync.statusLabel')}: ${parts.join(', ')}`}
    >
      <span role="status">{parts.join(' · ')}</span>
    </Link>
  )
}
