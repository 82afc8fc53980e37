import { type ReactNode, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Redirect } from 'wouter'
import { useAdminStore } from '../../state/admin-store.ts'
import { useSyncStore } from '../../state/sync-store.ts'
import { syncErrorText } from '../account/sync-words.ts'
import { ErrorText } from '../shared/ErrorText.tsx'
import { useFormat } from '../shared/use-format.ts'
import { AccessLogSection } from './AccessLogSection.tsx'
import { AdminNav } from './AdminNav.tsx'
import { AuditLog } from './AuditLog.tsx'
import { type AdminSection, isAdminSection } from './admin-sections.ts'
import { DirectoryAccess } from './DirectoryAccess.tsx'
import { OrgSettings } from './OrgSettings.tsx'
import { StaffSection } from './StaffSection.tsx'
import { TabletsTable } from './TabletsTable.tsx'
import { TextPacks } from './TextPacks.tsx'
import { Units } from './Units.tsx'

/**
 * Staff, units, tablets, settings, text packs and the audit log for the administrator
 * (utviklingsleder), one section per address (/admin/<section>) with a menu. Needs a
 * connection; offline it shows the last copy with its date.
 */
export function AdminPage({ section }: { section?: string | undefined }) {
  const { t } = useTranslation()
  const person = useSyncStore((s) => s.person)
  const { people, units, audit, fetchedAt, fromCopy, refresh } = useAdminStore()
  const fmt = useFormat()
  const [loadError, setLoadError] = useState<string | null>(null)
  const [actError, setActError] = useState<string | null>(null)

  const isAdmin = person?.roles.includes('admin') === true
  useEffect(() => {
    if (!isAdmin) return
    refresh().then(
      () => setLoadError(null),
      (err: unknown) => setLoadError(syncErrorText(err, t)),
    )
  }, [isAdmin, refresh, t])
  // A failed change belongs to the section it was made in.
  // biome-ignore lint/correctness/useExhaustiveDependencies: cleared when the section changes
  useEffect(() => setActError(null), [section])

  if (!isAdmin) {
    return (
      <section className="panel">
        <h1>{t('admin.title')}</h1>
        <p>{t('admin.notAllowed')}</p>
      </section>
    )
  }
  if (!isAdminSection(section)) return <Redirect to="/admin/staff" replace />

  /** Runs a change on the server; its failure is shown in words. true when it went through. */
  const act = async (run: () => Promise<void>): Promise<boolean> => {
    setActError(null)
    try {
      await run()
      return true
    } catch (err) {
      setActError(syncErrorText(err, t))
      return false
    }
  }

  const body: Record<AdminSection, () => ReactNode> = {
    staff: () => <StaffSection people={people} units={units} selfId={person?.id} act={act} />,
    units: () => <Units units={units} act={act} />,
    directory: () => <DirectoryAccess units={units} act={act} />,
    tablets: () => <TabletsTable />,
    settings: () => <OrgSettings />,
    'text-packs': () => <TextPacks />,
    audit: () => <AuditLog latest={audit} people={people} units={units} />,
    'access-log': () => <AccessLogSection />,
  }

  return (
    <section className="panel admin" aria-labelledby="admin-title">
      <h1 id="admin-title">{t('admin.title')}</h1>
      <AdminNav current={section} />
      <ErrorText message={loadError} />
      {fetchedAt &&
        (fromCopy ? (
          <p className="notice" role="status">
            {t('copy.offline', { time: fmt.dateTime(fetchedAt) })}
          </p>
        ) : (
          <p className="muted">{t('admin.fetchedAt', { time: fmt.dateTime(fetchedAt) })}</p>
        ))}
      <ErrorText message={actError} />
      {body[section]()}
    </section>
  )
}
