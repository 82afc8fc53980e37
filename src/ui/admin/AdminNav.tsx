import { useTranslation } from 'react-i18next'
import { Link } from 'wouter'
import { useOpenRequests } from '../../state/open-requests.ts'
import { CountBadge } from '../shared/CountBadge.tsx'
import { ADMIN_SECTIONS, type AdminSection, SECTION_LABEL } from './admin-sections.ts'

/** The administration's menu: one link per section, the current one marked for screen readers too. */
export function AdminNav({ current }: { current: AdminSection }) {
  const { t } = useTranslation()
  const openRequests = useOpenRequests((s) => s.count)
  return (
    <nav className="section-nav" aria-label={t('adminNav.label')}>
      <ul>
        {ADMIN_SECTIONS.map((s) => (
          <li key={s}>
            <Link href={`/admin/${s}`} aria-current={s === current ? 'page' : undefined}>
              {t(SECTION_LABEL[s])}
              {s === 'staff' && (
                <CountBadge
                  count={openRequests}
                  label={t('access.openCount', { count: openRequests })}
                />
              )}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  )
}
