import { useState, type JSX, type KeyboardEvent } from 'react'

/** The inline editor of a prompt: Enter or Save sends the new text, Shift+Enter adds a line, Esc or Cancel leaves. */
export function EditPrompt(props: { text: string; onSave: (text: string) => void; onCancel: () => void }): JSX.Element {
  const [text, setText] = useState(props.text)
  const save = (): void => {
    if (text.trim()) props.onSave(text)
  }
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Escape') {
      event.preventDefault()
      props.onCancel()
    } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault()
      save()
    }
  }
  return (
    <div className="edit-prompt" data-testid="edit-prompt">
      <textarea
        className="edit-prompt-input"
        data-testid="edit-prompt-input"
        aria-label="Edit your message"
        value={text}
        autoFocus
        rows={Math.min(10, Math.max(2, text.split('\n').length))}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="edit-prompt-buttons">
        <button type="button" className="button small" data-testid="edit-cancel" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="button" className="button small primary" data-testid="edit-save" disabled={!text.trim()} onClick={save}>
          Save
        </button>
      </div>
    </div>
  )
}
