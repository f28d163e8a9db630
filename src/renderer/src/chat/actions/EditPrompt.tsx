import { useId, useLayoutEffect, useReducer, useRef, useState, type JSX, type KeyboardEvent } from 'react'
import { focusWhenShown } from '../../ui/focus-when-shown'
import { focusComposer } from '../../composer/focus-composer'
import { overLimitText } from '../../composer/long-prompt'
import type { AttachmentRef } from '../../../../shared'
import { AttachmentChips } from '../../attachments/AttachmentChips'
import type { AttachDeps } from '../../attachments/attach-files'
import { attachedRefs, chipList, chipsOfRefs, sendBlocker } from '../../attachments/chip-list'
import { attachPromptAsFile } from '../../composer/prompt-as-file'
import { LongPromptNotice } from '../../composer/LongPromptNotice'
import { useLongPrompt } from '../../composer/use-long-prompt'

/**
 * The inline editor of a prompt: Enter or Save sends the new text, Shift+Enter adds a line, Esc or Cancel leaves. The
 * prompt's attachments stay on it, each removable, and go with the edited text. A text over main's limit is said under
 * the box as it is typed, in the composer's words, and can't be saved as text: shorten it, or attach it as a file
 * (as the composer does), and Save waits until the file is attached.
 */
export function EditPrompt(props: {
  text: string
  attachments: readonly AttachmentRef[]
  onSave: (text: string, attachments: AttachmentRef[]) => void
  onCancel: () => void
  /** Stores a file with main, for "Attach it as a file" (the window's attachment services). */
  attach: AttachDeps
}): JSX.Element {
  const [text, setText] = useState(props.text)
  const [chips, dispatch] = useReducer(chipList, props.attachments, chipsOfRefs)
  /** Why the last Save or "Attach it as a file" could not go: a file still on its way, one refused, no room. */
  const [problem, setProblem] = useState<string | null>(null)
  const box = useRef<HTMLTextAreaElement>(null)
  // Not autoFocus: a row the list still hides can't take the focus, so it is asked for until it can.
  useLayoutEffect(() => (box.current ? focusWhenShown(box.current) : undefined), [])
  const over = overLimitText(text)
  const tooLong = over === null ? null : `${over} Shorten it, or attach it as a file.`
  // Each Enter refused draws the notice anew, so a screen reader reads it again (as the composer's Send does).
  const longPrompt = useLongPrompt(tooLong)
  const noticeId = useId()
  const canSave = (text.trim() !== '' || chips.length > 0) && tooLong === null
  // The editor goes as it is left, and the focus with it: the composer takes it first, so the next typing isn't lost.
  const leave = (): void => focusComposer(box.current?.ownerDocument ?? document)
  const save = (): void => {
    if (longPrompt.refuse() || !canSave) return
    const blocker = sendBlocker(chips)
    if (blocker !== null) {
      setProblem(blocker)
      return
    }
    leave()
    props.onSave(text, attachedRefs(chips))
  }
  const attachAsFile = (): void => {
    // Main refusing the file gives the text back, unless something was typed in the box since.
    const restore = (back: string): void => setText((now) => (now === '' ? back : now))
    const attached = attachPromptAsFile({ attach: props.attach, onPrompt: chips.length, dispatch, restore }, text)
    setProblem(attached.ok ? attached.leftOut : attached.error)
    if (!attached.ok) return
    setText('')
    box.current?.focus()
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
        onChange={(event) => {
          setText(event.target.value)
          setProblem(null)
        }}
        onKeyDown={onKeyDown}
      />
      {tooLong !== null ? (
        <LongPromptNotice key={longPrompt.refusals} id={noticeId} text={tooLong} testId="edit-long-prompt" buttonTestId="edit-prompt-as-file" onAttach={attachAsFile} />
      ) : null}
      {problem !== null ? (
        <p className="edit-prompt-problem" role="alert" data-testid="edit-problem">
          {problem}
        </p>
      ) : null}
      <AttachmentChips
        chips={chips}
        onRemove={(key) => {
          dispatch({ type: 'removed', key })
          setProblem(null)
        }}
      />
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
