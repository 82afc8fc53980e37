import { type ReactNode, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'

/**
 * "Vis som tabell" as a real button (it said nothing about being one as a disclosure summary);
 * the table stays in the page while hidden, so printing shows it.
 */
export function TableToggle({ children }: { children: ReactNode }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const id = useId()
  return (
    <div className="chart-table">
      <button
        type="button"
        className="no-print"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
      >
        {open ? t('charts.hideTable') : t('charts.asTable')}
      </button>
      <div id={id} className="chart-table-body" hidden={!open}>
        {children}
      </div>
    </div>
  )
}
