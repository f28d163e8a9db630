import type { JSX, ReactNode } from 'react'
import type { SessionOptions } from '../../../shared'
import type { SidebarState } from '../sessions/use-sidebar'
import { IconButton } from '../ui/IconButton'
import { ChatOptions } from './head/ChatOptions'
import { ChatTitle } from './head/ChatTitle'
import { shortcutText } from '../commands/registry'

/**
 * The chat's title bar: the button that shows or hides the chats, the title (renamed in place once there is a chat),
 * "Answering…" while it runs, the chat's own model and options (once there is a chat), and what the chat offers at its
 * end (the Export menu).
 */
export function ChatHead(props: {
  title: string
  busy: boolean
  sidebar: Pick<SidebarState, 'shown' | 'toggle'>
  chat: { sessionId: string; options: SessionOptions | undefined } | undefined
  /** What the chat offers at the header's end (the Export menu). */
  children?: ReactNode
}): JSX.Element {
  const { sidebar, chat } = props
  const label = `${sidebar.shown ? 'Hide' : 'Show'} the chats (${shortcutText('toggle-sidebar')})`
  return (
    <header className="chat-head">
      <IconButton
        icon="menu"
        className="sidebar-toggle"
        testId="sidebar-toggle"
        label={label}
        expanded={sidebar.shown}
        onClick={sidebar.toggle}
      />
      {chat ? <ChatTitle key={chat.sessionId} sessionId={chat.sessionId} title={props.title} /> : <h1 className="chat-title">{props.title}</h1>}
      {props.busy ? <span className="chat-busy">Answering…</span> : null}
      {chat ? <ChatOptions sessionId={chat.sessionId} options={chat.options} /> : null}
      {props.children}
    </header>
  )
}
