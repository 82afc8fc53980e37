import { useTranslation } from 'react-i18next'
import { Link } from 'wouter'
import { useSyncStore } from '../../state/sync-store.ts'
import { useUiStore } from '../../state/ui-store.ts'
import { useFormat } from '../shared/use-format.ts'

/** Always visible: online or not, changes waiting, last successful sync, last error. */
export function SyncIndicator() {
  const { t } = useTranslation()
  const online = useUiStore((s) => s.online)
  const status = useSyncStore((s) => s.status)
  const fmt = useFormat()
  const pending = status?.pending ?? 0
  const parts = [online ? t('network.online') : t('network.offline')]
  if (pending > 0) parts.push(t('sync.pending', { count: pending }))
  if (status?.state === 'syncing') parts.push(t('sync.syncing'))
  else if (status?.lastSuccessAt)
    parts.push(t('sync.lastAt', { time: fmt.time(status.lastSuccessAt) }))
  if (status?.state === 'logged-out') parts.push(t('sync.notSignedIn'))
  if (status?.state === 'error' || status?.state === 'update-needed') parts.push(t('sync.problem'))
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
