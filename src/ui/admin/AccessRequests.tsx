import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  type AccessRequest,
  approveAccessRequest,
  fetchAccessRequests,
  refuseAccessRequest,
} from '../../state/access-requests.ts'
import { useAdminStore } from '../../state/admin-store.ts'
import { useOpenRequests } from '../../state/open-requests.ts'
import { RequestList } from '../reports/StaffAccess.tsx'
import { useFormat } from '../shared/use-format.ts'

/** Open requests from unit leaders: approve (a joiner with the first password) or refuse, each in one step. */
export function AccessRequests({ act }: { act: (run: () => Promise<void>) => Promise<boolean> }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const refreshPeople = useAdminStore((s) => s.refresh)
  const countOpen = useOpenRequests((s) => s.countFrom)
  const [requests, setRequests] = useState<AccessRequest[]>([])
  const [passwords, setPasswords] = useState<Record<string, string>>({})
  const [done, setDone] = useState<string | null>(null)

  // The menus' counts follow this list, so they agree with what she sees here.
  const show = useCallback(
    (list: AccessRequest[]) => {
      setRequests(list)
      countOpen(list)
    },
    [countOpen],
  )
  const load = useCallback(() => act(async () => show(await fetchAccessRequests())), [act, show])
  // biome-ignore lint/correctness/useExhaustiveDependencies: loaded once when the section opens
  useEffect(() => void load(), [])

  const decide = (r: AccessRequest, approve: boolean) => {
    setDone(null)
    void act(async () => {
      if (!approve) {
        await refuseAccessRequest(r.id)
        setDone(t('access.refused'))
      } else {
        const decided = await approveAccessRequest(
          r.id,
          r.kind === 'joiner' ? (passwords[r.id] ?? '') : undefined,
        )
        setDone(
          r.kind === 'joiner'
            ? t('access.approvedJoiner', { name: r.displayName })
            : t('access.approvedLeaver', {
                name: r.personName,
                time: fmt.dateTime(decided.accessEndsAt ?? ''),
              }),
        )
      }
      show(await fetchAccessRequests())
      await refreshPeople()
    })
  }
  const open = requests.filter((r) => r.status === 'open')
  const whoOf = (r: AccessRequest) => (r.kind === 'joiner' ? r.displayName : r.personName) ?? ''

  return (
    <section aria-labelledby="access-requests-title" className="access-requests">
      <h2 id="access-requests-title">{t('access.adminTitle')}</h2>
      <p className="muted" role="status">
        {done}
      </p>
      <RequestList
        requests={open}
        empty={t('access.adminNone')}
        fmt={fmt}
        actions={(r) => (
          <div className="request-actions">
            {r.kind === 'joiner' && (
              <label className="field">
                <span>{t('access.firstPassword')}</span>
                <input
                  type="password"
                  autoComplete="new-password"
                  minLength={10}
                  value={passwords[r.id] ?? ''}
                  onChange={(e) => setPasswords({ ...passwords, [r.id]: e.target.value })}
                />
              </label>
            )}
            {/* Each request's buttons name its person, so a screen reader's list of buttons tells them apart. */}
            <button
              type="button"
              className="primary"
              aria-label={t('access.approveFor', { name: whoOf(r) })}
              onClick={() => decide(r, true)}
            >
              {t('access.approve')}
            </button>
            <button
              type="button"
              aria-label={t('access.refuseFor', { name: whoOf(r) })}
              onClick={() => decide(r, false)}
            >
              {t('access.refuse')}
            </button>
          </div>
        )}
      />
    </section>
  )
}
