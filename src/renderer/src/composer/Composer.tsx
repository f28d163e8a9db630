import { useEffect, useRef, useState, type ClipboardEvent, type JSX, type KeyboardEvent } from 'react'
import { queuedChips, sessionRun } from '../activity/session-activity'
import { promptsSentNow } from '../chat/prompts-sent-now'
import { waitReason } from '../activity/wait-reason'
import { attachFiles } from '../attachments/attach-files'
import { AttachmentChips } from '../attachments/AttachmentChips'
import { modelOfChat } from '../attachments/chat-model'
import { attachedRefs, sendBlocker } from '../attachments/chip-list'
import { filesOf } from '../attachments/dropped-files'
import { useAttachmentServices } from '../attachments/services'
import { useFileDrop } from '../attachments/use-file-drop'
import { visionWarning } from '../attachments/vision-check'
import { isMac } from '../commands/platform'
import { chordLabel, commands } from '../commands/registry'
import { useCommand } from '../commands/use-commands'
import { composerKeyAction } from '../keys'
import { errorText } from '../notices/error-text'
import { useActivity, useParley } from '../parley-context'
import { Icon } from '../ui/icons'
import { IconButton } from '../ui/IconButton'
import { longPromptText } from './long-prompt'
import { LongPromptNotice } from './LongPromptNotice'
import { attachPromptAsFile } from './prompt-as-file'
import { QueuedChips } from './QueuedChips'
import { useChatChips } from './use-chat-chips'
import { useChatDraft } from './use-chat-draft'
import { PromptOrder } from './prompt-order'
import { draftAfterRefusal, sendPrompt, type NewChat } from './send-prompt'

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

const attachChord = commands.find((command) => command.id === 'attach-files')?.shortcut?.chord

/** Where prompts are written: Enter sends, Shift+Enter adds a line, Esc stops the answer. */
export function Composer(props: ComposerProps): JSX.Element {
  const { sessionId, newChat, onSession, onStop } = props
  const { api, activity, deletes, db } = useParley()
  const services = useAttachmentServices()
  const snapshot = useActivity()
  const run = sessionRun(snapshot, sessionId)
  const queued = queuedChips(snapshot, sessionId)
  // Each chat's unsent prompt, kept across switching chats and restarts.
  const [draft, setDraft] = useChatDraft(sessionId)
  const [error, setError] = useState<string>()
  // Its attachments, per chat too.
  const [chips, dispatch] = useChatChips(sessionId)
  /** The vision warning waiting for "Send anyway" or "Cancel". */
  const [warning, setWarning] = useState<string>()
  // A prompt over main's limit is said at once, under the box; each Send refused says it again (the notice is made anew,
  // so a screen reader reads it again).
  const tooLong = longPromptText(draft)
  const [longRefusals, setLongRefusals] = useState(0)
  const input = useRef<HTMLTextAreaElement>(null)
  const picker = useRef<HTMLInputElement>(null)
  // Prompts leave for main in the order they were sent, whichever chat each goes to (prompt-order.ts).
  const [order] = useState(() => new PromptOrder())

  useEffect(() => {
    // In a task of its own, and without scrolling it into view (it is always in view): a focus brings the page's styles
    // up to date at once and dispatches its events, and at the window's first render that was 8–15 ms of the task that
    // runs every component's effects (traced at 50,000 chats). Not if the focus moved meanwhile: a double click that
    // chose a chat and opened its title for renaming keeps its field.
    const focused = document.activeElement
    const focusing = setTimeout(() => {
      if (document.activeElement === focused) input.current?.focus({ preventScroll: true })
    }, 0)
    // The chat the first prompt made is shown (or another was chosen): a prompt with no chat makes a new one again.
    if (sessionId) newChat.forget()
    return () => clearTimeout(focusing)
  }, [sessionId, newChat])

  const attach = (files: readonly File[]): void => {
    if (files.length === 0) return
    const { leftOut } = attachFiles(services.attach, files, chips.length, dispatch)
    setError(leftOut ?? undefined)
    input.current?.focus()
  }
  const dragging = useFileDrop(attach)
  useCommand('attach-files', () => picker.current?.click())

  /** Refuses a prompt too long to go as text, with the sentence under the box, never main's refusal. */
  const refusedAsTooLong = (): boolean => {
    if (tooLong === null) return false
    setWarning(undefined)
    setLongRefusals((count) => count + 1)
    return true
  }

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

  const sendNow = (): void => {
    if (refusedAsTooLong()) return
    const prompt = draft
    const sent = chips
    // "Send anyway" may come after another file was added: it waits for that one too.
    const blocker = sendBlocker(sent)
    if (blocker) {
      setWarning(undefined)
      setError(blocker)
      return
    }
    // The box clears at once; a refused prompt comes back (below), with its chips, so nothing is lost.
    setDraft('')
    dispatch({ type: 'cleared' })
    setError(undefined)
    setWarning(undefined)
    const attachments = attachedRefs(sent)
    // Sent to an idle chat, it runs at once: the chat list comes down to it (chat/prompts-sent-now.ts).
    const newRunId = (): string => {
      const runId = crypto.randomUUID()
      if (!run.busy && queued.length === 0) promptsSentNow.note(runId)
      return runId
    }
    void sendPrompt({ api, activity, newChat, deletes, newRunId, order }, { sessionId, prompt, attachments, onSession }).then((outcome) => {
      // Sent right behind another, before the chat's busy event reached the window: main says it waits after all.
      if (outcome.ok && outcome.result.state !== 'active') promptsSentNow.forget(outcome.result.runId)
      if (outcome.ok) return
      setDraft((current) => draftAfterRefusal(current, prompt))
      dispatch({ type: 'restored', chips: sent })
      setError(outcome.error)
    })
  }

  const send = (): void => {
    if (!draft.trim() && chips.length === 0) return
    if (refusedAsTooLong()) return
    const blocker = sendBlocker(chips)
    if (blocker) {
      setError(blocker)
      return
    }
    const images = attachedRefs(chips).filter((ref) => ref.kind === 'image').length
    if (images === 0) {
      sendNow()
      return
    }
    // Images go only after asking whether the model reads them: never a silent drop.
    const asked = { draft, chips }
    void modelOfChat({ api, db }, sessionId)
      .then(async (model) => visionWarning(await services.vision.support(model.providerId, model.model), model.model, images))
      .catch(() => visionWarning('unknown', 'the model', images))
      .then((shown) => {
        if (asked.draft !== draftRef.current || asked.chips !== chipsRef.current) return
        if (shown) setWarning(shown)
        else sendNow()
      })
  }
  // What the composer holds now, for answers that arrive after the person changed it.
  const draftRef = useRef(draft)
  draftRef.current = draft
  const chipsRef = useRef(chips)
  chipsRef.current = chips

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

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    const action = composerKeyAction({
      key: event.key,
      shiftKey: event.shiftKey,
      ctrlKey: event.ctrlKey,
      metaKey: event.metaKey,
      altKey: event.altKey,
      isComposing: event.nativeEvent.isComposing
    })
    if (action === 'send') {
      event.preventDefault()
      send()
    } else if (action === 'stop' && run.busy) {
      // Handled here, so the window's own Esc handler (which closes panels) leaves it alone.
      event.preventDefault()
      onStop()
    }
  }

  const attachLabel = attachChord ? chordLabel(attachChord, isMac()) : ''
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
      {warning ? (
        <div className="vision-warning" role="alertdialog" aria-label="Images and this model" data-testid="vision-warning">
          <p>{warning}</p>
          <button type="button" className="button small" data-testid="vision-cancel" onClick={() => setWarning(undefined)}>
            Cancel
          </button>
          <button type="button" className="button small primary" data-testid="vision-send-anyway" onClick={sendNow}>
            Send anyway
          </button>
        </div>
      ) : null}
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
          setWarning(undefined)
        }}
      />
      <div className="composer-box">
        <IconButton icon="paperclip" className="attach-button" testId="attach-button" label={`Attach files (${attachLabel})`} onClick={() => picker.current?.click()} />
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          data-testid="attach-input"
          onChange={(event) => {
            attach(Array.from(event.target.files ?? []))
            // The same file chosen again is a new attachment.
            event.target.value = ''
          }}
        />
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
          onKeyDown={onKeyDown}
          onPaste={onPaste}
        />
        <div className="composer-actions">
          {/* Always laid out, shown only while answering: the composer keeps its width when an answer starts. */}
          <button
            type="button"
            className={run.busy ? 'button stop-button' : 'button stop-button idle'}
            data-testid="stop-button"
            aria-label="Stop the answer (Esc)"
            title="Stop the answer (Esc)"
            aria-hidden={!run.busy}
            tabIndex={run.busy ? 0 : -1}
            disabled={!run.busy}
            onClick={() => {
              onStop()
              // The button goes once the answer stops: the focus waits in the box, not on the page.
              input.current?.focus()
            }}
          >
            <Icon name="stop" size="small" />
            Stop
          </button>
          <button
            type="button"
            className="button primary send-button"
            data-testid="send-button"
            aria-label={run.busy ? 'Queue the prompt (Enter)' : 'Send the prompt (Enter)'}
            disabled={!draft.trim() && chips.length === 0}
            onClick={send}
          >
            {run.busy ? 'Queue' : 'Send'}
          </button>
        </div>
      </div>
      {tooLong !== null ? <LongPromptNotice key={longRefusals} text={tooLong} testId="long-prompt" buttonTestId="prompt-as-file" onAttach={attachAsFile} /> : null}
    </div>
  )
}
