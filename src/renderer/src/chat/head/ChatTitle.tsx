import { useRef, type JSX, type KeyboardEvent } from 'react'
import { useParley } from '../../parley-context'
import { renameChat } from '../../sessions/rename-chat'
import { TitleField } from '../../sessions/TitleField'
import { useTitleEditing } from '../../sessions/use-title-editing'
import { IconButton } from '../../ui/IconButton'

/**
 * The open chat's title in its header, renamed in place as in the sidebar (the same field and call): double-click it,
 * press F2 or Enter on it, or use the pencil beside it. Enter or Esc gives the focus back to the title. Drawn anew for
 * each chat (`key`), so a rename always goes to the chat it was started in.
 */
export function ChatTitle(props: { sessionId: string; title: string }): JSX.Element {
  const services = useParley()
  const heading = useRef<HTMLHeadingElement>(null)
  const { editing, start, close } = useTitleEditing(heading)

  if (editing) {
    return (
      <div className="chat-title-edit">
        <TitleField
          className="chat-title-input"
          current={props.title}
          onRename={(title) => renameChat(services, props.sessionId, title)}
          onClose={close}
        />
      </div>
    )
  }

  const onKeyDown = (event: KeyboardEvent<HTMLHeadingElement>): void => {
    if (event.key !== 'F2' && event.key !== 'Enter') return
    event.preventDefault()
    start()
  }
  return (
    <>
      {/* Not a tab stop (the pencil is); it takes the focus back after a rename, where F2 or Enter renames again. */}
      <h1 ref={heading} className="chat-title" tabIndex={-1} onDoubleClick={start} onKeyDown={onKeyDown}>
        {props.title}
      </h1>
      <IconButton icon="pencil" className="chat-rename" testId="rename-chat" label="Rename this chat" onClick={start} />
    </>
  )
}
