import { useEffect, useState, type JSX } from 'react'
import { useCommand } from '../commands/use-commands'
import { useDeletedIds, useParley } from '../parley-context'
import { rebuildSearchIndex } from './search-index'
import { SearchDialog, type IndexState } from './SearchDialog'

/**
 * Search across every chat: builds the index from Dexie when it is missing (once, in the background, with progress
 * shown in the dialog), and opens the dialog on Ctrl/Cmd+K (the `search` command).
 */
export function Search(props: { onOpen: (sessionId: string, messageId: string) => void }): JSX.Element | null {
  const { db } = useParley()
  const hidden = useDeletedIds()
  const [open, setOpen] = useState(false)
  const [index, setIndex] = useState<IndexState>({ kind: 'ready' })
  useCommand('search', () => setOpen(true))

  useEffect(() => {
    let current = true
    rebuildSearchIndex(db, { onProgress: (progress) => current && setIndex({ kind: 'building', progress }) }).then(
      () => current && setIndex({ kind: 'ready' }),
      (error: unknown) => current && setIndex({ kind: 'failed', error: error instanceof Error ? error.message : String(error) })
    )
    return () => {
      current = false
    }
  }, [db])

  if (!open) return null
  return <SearchDialog db={db} hidden={hidden} index={index} onOpen={props.onOpen} onClose={() => setOpen(false)} />
}
