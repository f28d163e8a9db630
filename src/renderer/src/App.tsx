import { ShownImage } from './attachments/shown-image'
import { useCallback, useState, type JSX } from 'react'
import { sessionRun } from './activity/session-activity'
import { ChatHead } from './chat/ChatHead'
import { ChatView } from './chat/ChatView'
import { MessageTargets } from './chat/MessageTargets'
import { Composer } from './composer/Composer'
import { CommandDialogs } from './commands/CommandDialogs'
import { CommandHandlers } from './commands/handlers'
import { CommandsProvider, useCommand, useCommandKeys } from './commands/use-commands'
import { Banners } from './notices/Banners'
import { Search } from './search/Search'
import { actionFailedNotice } from './notices/action-failed'
import { useActivity, useParley } from './parley-context'
import { neighbourOf } from './sessions/selection'
import { Sidebar } from './sessions/Sidebar'
import { useNewChat } from './sessions/use-new-chat'
import { useSidebar } from './sessions/use-sidebar'
import { untitled } from './sessions/SessionItem'
import { useChatAsked } from './sessions/use-chat-asked'
import { useChatShown } from './sessions/use-chat-shown'
import { useOpenChat } from './sessions/use-open-chat'
import { SettingsPanel } from './settings/SettingsPanel'
import { ExportMenu } from './transfer/ExportMenu'
import { Transfer } from './transfer/Transfer'
import { Region } from './ui/Region'
import { Welcome } from './welcome/Welcome'
import { shortcutText } from './commands/registry'

/** The window, with one registry of commands for its shortcuts, palette and sheet (commands/registry.ts). */
export function App(props: {
  /** The chat to open first: the one the window showed last (`lastOpenChatToShow`), or undefined for the newest. */
  firstChat: string | undefined
}): JSX.Element {
  const [handlers] = useState(() => new CommandHandlers())
  return (
    <CommandsProvider handlers={handlers}>
      <MessageTargets>
        <Workspace firstChat={props.firstChat} />
      </MessageTargets>
    </CommandsProvider>
  )
}

function Workspace(props: { firstChat: string | undefined }): JSX.Element {
  const { api, notices } = useParley()
  const { stored, sessions, sessionId, current, setSelected } = useOpenChat(props.firstChat)
  const activity = useActivity()
  const [settingsOpen, setSettingsOpen] = useState(false)
  const [filterAsked, setFilterAsked] = useState(0)
  const filterFocused = useCallback(() => setFilterAsked(0), [])
  const run = sessionRun(activity, sessionId)

  const reportFailure = useCallback(
    (what: string) => (error: unknown) => notices.show(actionFailedNotice(what, error)),
    [notices]
  )

  const { target, openMessage } = useChatAsked(setSelected)
  useChatShown(sessionId, current, reportFailure)

  // "New chat" (the empty chat reused); a prompt sent before its chat shows goes there.
  const newChat = useNewChat(sessionId, setSelected)

  /** Stops the active answer only: the queue goes on with its next prompt (rule D2). */
  const stop = useCallback(() => {
    if (!run.activeRunId) return
    api.cancelRun(run.activeRunId).catch(reportFailure('Parley could not stop the answer'))
  }, [api, run.activeRunId, reportFailure])

  useCommandKeys()
  useCommand('new-chat', newChat.open)
  useCommand('stop', stop, run.busy)
  useCommand('open-settings', () => setSettingsOpen(true))
  const sidebar = useSidebar()
  useCommand('filter-chats', () => {
    sidebar.show()
    setFilterAsked((asked) => asked + 1)
  })

  return (
    <div className="app">
      <Banners />
      <div className="app-body">
        {sidebar.shown ? (
          <Region name="the list of chats">
            <Sidebar
              sessions={sessions}
              selectedId={sessionId}
              narrow={sidebar.narrow}
              focusFilter={filterAsked}
              onFilterFocused={filterFocused}
              onSelect={(id) => {
                setSelected(id)
                sidebar.picked()
              }}
              onNewSession={newChat.open}
              onDeleted={(id) => {
                if (id === sessionId) setSelected(neighbourOf(sessions?.map((session) => session.id) ?? [], id))
              }}
              onOpenSettings={() => setSettingsOpen(true)}
            />
          </Region>
        ) : null}
        <main className="chat-pane" aria-label="Chat">
          <ChatHead
            title={current ? (current.title ?? untitled) : 'Parley'}
            busy={run.busy}
            sidebar={sidebar}
            chat={current ? { sessionId: current.id, options: current.options } : undefined}
          >
            {sessionId ? <ExportMenu /> : null}
          </ChatHead>
          {sessionId ? (
            <Region name="this chat" resetKey={sessionId}>
              <ChatView key={sessionId} sessionId={sessionId} target={target} />
            </Region>
          ) : sessions?.length === 0 ? (
            <Welcome onSession={setSelected} settingsOpen={settingsOpen} />
          ) : (
            <div className="chat-empty">
              <p className="chat-empty-title">Welcome to Parley</p>
              <p>Write a prompt below to start a chat, or press {shortcutText('new-chat')}.</p>
            </div>
          )}
          <Region name="the message box">
            <Composer sessionId={newChat.coming ? undefined : sessionId} newChat={newChat.chat} onSession={setSelected} onStop={stop} />
          </Region>
        </main>
      </div>
      {settingsOpen ? (
        <Region name="the settings" onClose={() => setSettingsOpen(false)}>
          <SettingsPanel onClose={() => setSettingsOpen(false)} />
        </Region>
      ) : null}
      <Region name="the command palette">
        <CommandDialogs />
      </Region>
      <Region name="the image viewer">
        <ShownImage />
      </Region>
      {/* Opens the chat of the chosen message; scrolling to the message itself comes with chat/message-target.ts. */}
      <Region name="search">
        <Search listed={stored?.byId} onOpen={openMessage} />
      </Region>
      <Region name="export and import">
        <Transfer sessionId={sessionId} />
      </Region>
    </div>
  )
}
