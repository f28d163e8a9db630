import type { JSX } from 'react'
import { persistenceText } from '../db/storage-persistence'
import { usePersistence } from '../parley-context'

/** Where the chats are kept, and whether the browser promised to keep them. */
export function StorageNote(): JSX.Element {
  const persistence = usePersistence()
  return (
    <fieldset className="settings-group">
      <legend>Storage</legend>
      <p className={persistence === 'best-effort' ? 'field-warning' : 'field-hint'} data-testid="settings-storage-persisted" data-persistence={persistence}>
        {persistenceText(persistence)}
      </p>
      <p className="field-hint">Your chats are kept on this computer, in the window&apos;s own storage (IndexedDB).</p>
    </fieldset>
  )
}
