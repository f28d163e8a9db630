import { useRef, useState, type JSX } from 'react'
import { archiveRefusalLead, isParleyError, refusalProblems } from '../../../shared'
import { useCommand } from '../commands/use-commands'
import { errorText } from '../notices/error-text'
import { useDeletedIds, useParley } from '../parley-context'
import { allChatsFileName, chatArchiveBlob, chatMarkdownBlob, download, exportAllChats, exportChat, fileNameFor } from './chat-export'
import { importingText, importSummary, sendImportBatches } from './chat-import'
import { readImport } from './import-reading'
import { TransferDialog, type TransferState } from './TransferDialog'


/**
 * Export and import (docs/export-format.md). Exports read Dexie only, in pages, and download a file; an import is read
 * and checked whole in a worker (import-reading.ts), then sent to main, which checks it again and adds the chats it
 * doesn't have. The commands
 * are in the palette; the chat header and the sidebar run them by name.
 */
export function Transfer(props: { sessionId: string | undefined }): JSX.Element {
  const { api, db } = useParley()
  const leaving = useDeletedIds()
  const picker = useRef<HTMLInputElement>(null)
  const [state, setState] = useState<TransferState>({ kind: 'idle' })
  const { sessionId } = props
  const busy = state.kind === 'working'

  const exportOne = (format: 'md' | 'json'): void => {
    if (!sessionId || busy) return
    setState({ kind: 'working', text: 'Exporting the chat…' })
    exportChat(db, sessionId)
      .then(async (chat) => {
        if (!chat) throw new Error('The chat is no longer here.')
        const blob = format === 'md' ? chatMarkdownBlob(chat) : await chatArchiveBlob(chat, api)
        download(blob, fileNameFor(chat.title, format === 'md' ? 'md' : 'parley.json'))
        setState({ kind: 'idle' })
      })
      .catch((error: unknown) => setState({ kind: 'refused', text: 'Parley could not export the chat.', problems: [errorText(error)] }))
  }

  const exportAll = (): void => {
    if (busy) return
    setState({ kind: 'working', text: 'Exporting all chats…' })
    exportAllChats(db, api, { leaving, onProgress: ({ done, total }) => setState({ kind: 'working', text: `Exporting chats: ${done} of ${total}…` }) })
      .then((blob) => {
        download(blob, allChatsFileName(new Date()))
        setState({ kind: 'idle' })
      })
      .catch((error: unknown) => setState({ kind: 'refused', text: 'Parley could not export the chats.', problems: [errorText(error)] }))
  }

  const importFile = async (file: File): Promise<void> => {
    setState({ kind: 'working', text: `Reading ${file.name}…` })
    const reading = await readImport(file)
    if (!reading.ok) {
      setState({ kind: 'refused', text: `${file.name} can’t be imported, and nothing of it was:`, problems: reading.problems })
      return
    }
    if (reading.chats === 0) {
      // An empty export (ChatGPT's `[]`, say): nothing to send, said plainly.
      setState({ kind: 'done', text: importSummary({ imported: 0, skipped: 0, messages: 0 }) })
      return
    }
    setState({ kind: 'working', text: importingText(reading.chats, reading.source) })
    try {
      const result = await sendImportBatches(api, reading.batches, (done, total) =>
        setState({ kind: 'working', text: `Importing: part ${done} of ${total}…` })
      )
      setState({ kind: 'done', text: importSummary(result) })
    } catch (error) {
      if (isParleyError(error) && error.code === 'ArchiveInvalid') {
        setState({ kind: 'refused', text: archiveRefusalLead, problems: refusalProblems(error.message) })
      } else {
        setState({ kind: 'refused', text: 'Parley could not import the file.', problems: [errorText(error)] })
      }
    }
  }

  useCommand('export-chat-markdown', () => exportOne('md'), sessionId !== undefined)
  useCommand('export-chat-json', () => exportOne('json'), sessionId !== undefined)
  useCommand('export-all-json', exportAll)
  useCommand('import-chats', () => picker.current?.click())

  const close = (): void => setState({ kind: 'idle' })
  return (
    <>
      <input
        ref={picker}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="import-file"
        onChange={(event) => {
          const file = event.currentTarget.files?.[0]
          event.currentTarget.value = ''
          if (file) void importFile(file)
        }}
      />
      {state.kind === 'idle' ? null : <TransferDialog state={state} onClose={close} />}
    </>
  )
}
