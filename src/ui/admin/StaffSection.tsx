import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { PersonView, UnitView } from '../../state/admin-store.ts'
import { AccessRequests } from './AccessRequests.tsx'
import { AddPersonForm } from './AddPersonForm.tsx'
import { PasswordDialog } from './PasswordDialog.tsx'
import { PeopleTable } from './PeopleTable.tsx'
import { PersonEditor } from './PersonEditor.tsx'

/** Staff: the list, one person's editor, a temporary password, and a new person. */
export function StaffSection({
  people,
  units,
  selfId,
  act,
}: {
  people: PersonView[]
  units: UnitView[]
  selfId: string | undefined
  act: (run: () => Promise<void>) => Promise<boolean>
}) {
  const { t } = useTranslation()
  const [editingId, setEditingId] = useState<string | null>(null)
  const [passwordFor, setPasswordFor] = useState<PersonView | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const editing = people.find((p) => p.id === editingId)
  return (
    <>
      <AccessRequests act={act} />
      <h2 id="people-title">{t('admin.people')}</h2>
      <p className="muted" role="status">
        {done}
      </p>
      <PeopleTable
        people={people}
        units={units}
        selfId={selfId}
        act={act}
        onEdit={setEditingId}
        onSetPassword={(id) => {
          setDone(null)
          setPasswordFor(people.find((p) => p.id === id) ?? null)
        }}
      />
      {passwordFor && (
        <PasswordDialog
          person={passwordFor}
          act={act}
          onDone={(set) => {
            if (set) setDone(t('adminPassword.done', { name: passwordFor.displayName }))
            setPasswordFor(null)
          }}
        />
      )}
      {editing && (
        <PersonEditor
          key={editing.id}
          person={editing}
          people={people}
          units={units}
          isSelf={editing.id === selfId}
          act={act}
          onDone={() => setEditingId(null)}
        />
      )}
      <AddPersonForm people={people} units={units} act={act} />
    </>
  )
}
