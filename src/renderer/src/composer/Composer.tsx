import { useRef, useState, type ClipboardEvent, type JSX } from 'react'
import { queuedChips, sessionRun } from '../activity/session-activity'
import { waitReason } from '../activity/wait-reason'
import { attachFiles } from '../attachments/attach-files'
import { AttachmentChips } from '../attachments/AttachmentChips'
import { filesOf } from '../attachments/dropped-files'
import { useAttachmentServices } from '../attachments/services'
import { useFileDrop } from '../attachments/use-file-drop'
import { errorText } from '../notices/error-text'
import { useActivity, useParley } from '../parley-context'
import { Icon } from '../ui/icons'
import { AttachPicker } from './AttachPicker'
import { ComposerActions } from './ComposerActions'
import { composerKeys } from './composer-keys'
import { longPromptText } from './long-prompt'
import { LongPromptNotice } from './LongPromptNotice'
import { attachPromptAsFile } from './prompt-as-file'
import { QueuedChips } from './QueuedChips'
import type { NewChat } from './send-prompt'
import { useChatChips } from './use-chat-chips'
import { useChatDraft } from './use-chat-draft'
import { useComposerFocus } from './use-composer-focus'
import { useLongPrompt } from './use-long-prompt'
import { usePromptSend } from './use-prompt-send'
import { VisionWarning } from './VisionWarning'

export interface ComposerProps {
  /** The chat prompts go to; undefined while there is none, or while "New chat" is opening one (`newChat`). */
  sessionId: string | undefined
  /** The chat a prompt sent with no chat goes to (App's, shared with its "New chat"). */
  newChat: NewChat
  /** A session was created to hold the first prompt: the window switches to it. */
  onSession: (sessionId: string) => void
  /** Stops the active answer; the queue goes on (rule D2). */
  onStop: () => void
}

/** Where prompts are written: Enter sends, Shift+Enter adds a line, Esc stops the answer. */
export function Composer(props: ComposerProps): JSX.Element {
  const { sessionId, newChat, onSession, onStop } = props
  const { api, activity } = useParley()
  const services = useAttachmentServices()
  const snapshot = useActivity()
  const run = sessionRun(snapshot, sessionId)
  const queued = queuedChips(snapshot, sessionId)
  // Each chat's unsent prompt, kept across switching chats and restarts.
  const [draft, setDraft] = useChatDraft(sessionId)
  const [error, setError] = useState<string>()
  // Its attachments, per chat too.
  const [chips, dispatch] = useChatChips(sessionId)
  const longPrompt = useLongPrompt(longPromptText(draft))
  const input = useRef<HTMLTextAreaElement>(null)
  useComposerFocus(sessionId, input)
  const idle = !run.busy && queued.length === 0
  const sending = usePromptSend({ sessionId, newChat, onSession, draft, setDraft, chips, dispatch, idle, refuseTooLong: longPrompt.refuse, setError })

  const attach = (files: readonly File[]): void => {
    if (files.length === 0) return
    const { leftOut } = attachFiles(services.attach, files, chips.length, dispatch)
    setError(leftOut ?? undefined)
    input.current?.focus()
  }
  const dragging = useFileDrop(attach)

  /** The prompt goes as a text file (pasted text.txt), attached as a dropped file is; the box is cleared. */
  const attachAsFile = (): void => {
    // A refused file's text comes back to the box, unless something was typed there since.
    const restore = (text: string): void => setDraft((now) => (now === '' ? text : now))
    const attached = attachPromptAsFile({ attach: services.attach, onPrompt: chips.length, dispatch, restore }, draft)
    if (!attached.ok) {
      // No room, or over the file limit: the prompt stays in the box, so nothing is lost.
      setError(attached.error)
      return
    }
    setError(attached.leftOut ?? undefined)
    setDraft('')
    input.current?.focus()
  }

  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>): void => {
    const files = filesOf(event.clipboardData)
    if (files.length === 0) return
    event.preventDefault()
    attach(files)
  }

  const removeChip = (runId: string): void => {
    activity.settle(runId)
    api.cancelRun(runId).catch((failure: unknown) => setError(errorText(failure, 'Parley could not remove that prompt.')))
  }

  const lines = draft.split('\n').length
  return (
    <div className="composer">
      <QueuedChips
        chips={queued}
        onRemove={removeChip}
        waitingLabel={waitReason(snapshot) === 'loading' ? 'Waiting for the model to load' : 'Waiting'}
      />
      {error ? (
        <p className="composer-error" role="alert" data-testid="composer-error">
          {error}
        </p>
      ) : null}
      {sending.warning ? <VisionWarning text={sending.warning} onCancel={sending.dismissWarning} onSendAnyway={sending.sendNow} /> : null}
      {dragging ? (
        <div className="drop-zone" data-testid="drop-zone" aria-hidden="true">
          <Icon name="paperclip" />
          Drop files to attach them
        </div>
      ) : null}
      <AttachmentChips
        chips={chips}
        onRemove={(key) => {
          dispatch({ type: 'removed', key })
          // What the warning was about may be gone: the next send asks again.
          sending.dismissWarning()
        }}
      />
      <div className="composer-box">
        <AttachPicker onFiles={attach} />
        <textarea
          ref={input}
          className="composer-input"
          dir="auto"
          data-testid="composer-input"
          aria-label="Prompt"
          placeholder={run.busy ? 'Queue another prompt…' : 'Write a prompt…'}
          rows={Math.min(8, Math.max(1, lines))}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={composerKeys({ send: sending.send, stop: run.busy ? onStop : undefined })}
          onPaste={onPaste}
        />
        <ComposerActions
          busy={run.busy}
          canSend={draft.trim() !== '' || chips.length > 0}
          onSend={sending.send}
          onStop={() => {
            onStop()
            // The button goes once the answer stops: the focus waits in the box, not on the page.
            input.current?.focus()
          }}
        />
      </div>
      {longPrompt.text !== null ? (
        <LongPromptNotice key={longPrompt.refusals} text={longPrompt.text} testId="long-prompt" buttonTestId="prompt-as-file" onAttach={attachAsFile} />
      ) : null}
    </div>
  )
}
