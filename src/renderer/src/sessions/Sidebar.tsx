import type { JSX } from 'react'
import { sessionRun } from '../activity/session-activity'
import type { SessionRow } from '../db/schema'
import { useActivity, useParley } from '../parley-context'
import { errorText } from '../notices/error-text'
import { ThemeButton } from '../look/ThemeButton'
import { Icon } from '../ui/icons'
import { useCommandHandlers } from '../commands/use-commands'
import { deleteWithUndo } from './delete-with-undo'
import { SessionItem, untitled } from './SessionItem'
import { isUnseen } from './unseen'

export interface SidebarProps {
  sessions: readonly SessionRow[] | undefined
  selectedId: string | undefined
  /** A narrow window: the sidebar covers the chat. */
  narrow: boolean
  onSelect: (sessionId: string) => void
  onNewSession: () => void
  onDeleted: (sessionId: string) => void
  onOpenSettings: () => void
}

/** The chats, most recently active first: a pulsing dot on those answering now, a steady one on unseen answers. */
export function Sidebar(props: SidebarProps): JSX.Element {
  const { api, notices, deletes } = useParley()
  const activity = useActivity()
  const commands = useCommandHandlers()
  const failed = (what: string) => (error: unknown) =>
    notices.show({ id: 'session-action', tone: 'error', text: `${what}: ${errorText(error)}`, dismissible: true })

  return (
    <aside className={props.narrow ? 'sidebar narrow' : 'sidebar'} aria-label="Chats" data-testid="sidebar">
      <div className="sidebar-head">
        <span className="brand">Parley</span>
        <button
          type="button"
          className="button new-session"
          data-testid="new-session"
          title="New chat (Ctrl+N)"
          aria-keyshortcuts="Control+N Meta+N"
          onClick={props.onNewSession}
        >
          <Icon name="plus" size="small" />
          New chat
        </button>
      </div>
      <nav className="session-list">
        {props.sessions && props.sessions.length === 0 ? <p className="session-list-empty">No chats yet.</p> : null}
        <ul>
          {props.sessions?.map((session) => (
            <SessionItem
              key={session.id}
              session={session}
              selected={session.id === props.selectedId}
              busy={sessionRun(activity, session.id).busy}
              unseen={isUnseen(session)}
              onSelect={() => props.onSelect(session.id)}
              onRename={(title) => api.renameSession(session.id, title).catch(failed('Parley could not rename the chat'))}
              onDelete={() => {
                props.onDeleted(session.id)
                const entry = { kind: 'chat', id: session.id, sessionId: session.id, title: session.title ?? untitled } as const
                deleteWithUndo({ deletes, notices }, entry, () => api.deleteSession(session.id))
              }}
            />
          ))}
        </ul>
      </nav>
      <div className="sidebar-foot">
        <button type="button" className="button ghost" data-testid="settings-button" onClick={props.onOpenSettings}>
          <Icon name="gear" />
          Settings
        </button>
        <button
          type="button"
          className="button ghost"
          data-testid="import-button"
          title="Import chats: a Parley export or ChatGPT's conversations.json"
          onClick={() => commands.run('import-chats')}
        >
          Import
        </button>
        <ThemeButton />
      </div>
    </aside>
  )
}
