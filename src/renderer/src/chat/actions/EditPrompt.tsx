import { useId, useLayoutEffect, useRef, useState, type JSX, type KeyboardEvent } from 'react'
import { focusWhenShown } from '../../ui/focus-when-shown'
import { focusComposer } from '../../composer/focus-composer'
import { overLimitText } from '../../composer/long-prompt'
import type { AttachmentRef } from '../../../../shared'
import { AttachmentChips } from '../../attachments/AttachmentChips'
import { attachedRefs, chipsOfRefs } from '../../attachments/chip-list'

/**
 * The inline editor of a prompt: Enter or Save sends the new text, Shift+Enter adds a line, Esc or Cancel leaves. The
 * prompt's attachments stay on it, each removable, and go with the edited text. A text over main's limit is said under
 * the box as it is typed, in the composer's words, and can't be saved until it is shorter.
 */
export function EditPrompt(props: {
  text: string
  attachments: readonly AttachmentRef[]
  onSave: (text: string, attachments: AttachmentRef[]) => void
  onCancel: () => void
}): JSX.Element {
  const [text, setText] = useState(props.text)
  const [chips, setChips] = useState(() => chipsOfRefs(props.attachments))
  const box = useRef<HTMLTextAreaElement>(null)
  // Not autoFocus: a row the list still hides can't take the focus, so it is asked for until it can.
  useLayoutEffect(() => (box.current ? focusWhenShown(box.current) : undefined), [])
  const over = overLimitText(text)
  const tooLong = over === null ? null : `${over} Shorten it to save.`
  // Each Enter refused draws the notice anew, so a screen reader reads it again (as the composer's Send does).
  const [longRefusals, setLongRefusals] = useState(0)
  const noticeId = useId()
  const canSave = (text.trim() !== '' || chips.length > 0) && tooLong === null
  // The editor goes as it is left, and the focus with it: the composer takes it first, so the next typing isn't lost.
  const leave = (): void => focusComposer(box.current?.ownerDocument ?? document)
  const save = (): void => {
    if (tooLong !== null) setLongRefusals((count) => count + 1)
    if (!canSave) return
    leave()
    props.onSave(text, attachedRefs(chips))
  }
  const cancel = (): void => {
    leave()
    props.onCancel()
  }
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Escape') {
      event.preventDefault()
      cancel()
    } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault()
      save()
    }
  }
  return (
    <div className="edit-prompt" data-testid="edit-prompt">
      <textarea
        className="edit-prompt-input"
        dir="auto"
        data-testid="edit-prompt-input"
        aria-label="Edit your message"
        aria-invalid={tooLong !== null}
        aria-describedby={tooLong !== null ? noticeId : undefined}
        ref={box}
        value={text}
        rows={Math.min(10, Math.max(2, text.split('\n').length))}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      {tooLong !== null ? (
        <div key={longRefusals} id={noticeId} className="long-prompt" role="alert" data-testid="edit-long-prompt">
          <p>{tooLong}</p>
        </div>
      ) : null}
      <AttachmentChips chips={chips} onRemove={(key) => setChips((current) => current.filter((chip) => chip.key !== key))} />
      <div className="edit-prompt-buttons">
        <button type="button" className="button small" data-testid="edit-cancel" onClick={cancel}>
          Cancel
        </button>
        <button type="button" className="button small primary" data-testid="edit-save" disabled={!canSave} onClick={save}>
          Save
        </button>
      </div>
    </div>
  )
}
