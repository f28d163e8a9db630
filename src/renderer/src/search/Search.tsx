import { useEffect, useState, type JSX } from 'react'
import { useCommand } from '../commands/use-commands'
import { whenIdleAfter } from '../later/when-idle'
import { useDeletedIds, useParley } from '../parley-context'
import { startIdleIndexer, type IndexerState } from './idle-indexer'
import { SearchDialog } from './SearchDialog'

/**
 * How long after the window starts the indexing of what a reload left begins (new answers are indexed as they come,
 * whatever this says). Begun at the first idle moment, a window reloaded while it indexed opened its database 150–250 ms
 * late: the closed window's read-write transaction had to end first (50,000 chats: first rows at 400–500 ms instead of
 * ~220, in 4 of 5 loads back to back).
 */
export const indexingStartMs = 2000

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
  const { db } = useParley()
  const hidden = useDeletedIds()
  const [open, setOpen] = useState(false)
  const [index, setIndex] = useState<IndexerState>({ kind: 'ready', passes: 0 })
  useCommand('search', () => setOpen(true))

  // What a reload left to index waits `indexingStartMs`, then until the window is idle: the window's start comes first.
  useEffect(() => startIdleIndexer(db, { onState: setIndex, startAfter: () => whenIdleAfter(indexingStartMs) }), [db])

  if (!open) return null
  return <SearchDialog db={db} hidden={hidden} listed={props.listed} index={index} onOpen={props.onOpen} onClose={() => setOpen(false)} />
}
