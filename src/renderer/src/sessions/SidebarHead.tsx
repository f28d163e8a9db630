import type { JSX, RefObject } from 'react'
import { isMac } from '../commands/platform'
import { shortcutText } from '../commands/registry'
import { Icon } from '../ui/icons'

/** The sidebar's top: the brand and New chat (whose button takes the focus when a deleted chat was the last shown). */
export function SidebarHead(props: { newChatRef: RefObject<HTMLButtonElement | null>; onNewSession: () => void }): JSX.Element {
  return (
    <div className="sidebar-head">
      <span className="brand">Parley</span>
      <button
        type="button"
        ref={props.newChatRef}
        className="button new-session"
        data-testid="new-session"
        title={`New chat (${shortcutText('new-chat')})`}
        aria-keyshortcuts={isMac() ? 'Meta+N' : 'Control+N'}
        onClick={props.onNewSession}
      >
        <Icon name="plus" size="small" />
        New chat
      </button>
    </div>
  )
}
