import { useEffect, useState, type JSX } from 'react'
import { useCommand } from '../commands/use-commands'
import { useDeletedIds, useParley } from '../parley-context'
import { startIdleIndexer, type IndexerState } from './idle-indexer'
import { indexingStart } from './indexing-start'
import { SearchDialog } from './SearchDialog'

/**
 * Search across every chat: keeps the index caught up with the messages off the commits (search/idle-indexer.ts,
 * with progress shown in the dialog while a large gap is filled), and opens the dialog on Ctrl/Cmd+K (the `search`
 * command).
 */
export function Search(props: {
  /** The sidebar's chats by id, once read (their titles are shown with the results). */
  listed: ReadonlyMap<string, { title: string | null }> | undefined
  onOpen: (sessionId: string, messageId: string) => void
}): JSX.Element | null {
  const { db, restoring } = useParley()
  const hidden = useDeletedIds()
  const [open, setOpen] = useState(false)
  const [index, setIndex] = useState<IndexerState>({ kind: 'ready', passes: 0 })
  // What a reload left to index waits for the window's start (`indexingStart`), or for search to be opened.
  const [start] = useState(indexingStart)
  useCommand('search', () => {
    start.now()
    setOpen(true)
  })
  // Not while a restore copies the chats behind the window: its first pass indexes them all once they are back.
  useEffect(
    () =>
      startIdleIndexer(db, {
        onState: setIndex,
        startAfter: () => Promise.all([start.begun, restoring]).then(() => undefined),
        changesWaitForStart: restoring !== undefined
      }),
    [db, start, restoring]
  )

  if (!open) return null
  return <SearchDialog db={db} hidden={hidden} listed={props.listed} index={index} onOpen={props.onOpen} onClose={() => setOpen(false)} />
}
