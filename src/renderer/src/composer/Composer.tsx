import { useEffect, useMemo, useRef, useState, type JSX, type KeyboardEvent } from 'react'
import { queuedChips, sessionRun } from '../activity/session-activity'
import { waitReason } from '../activity/wait-reason'
import { composerKeyAction } from '../keys'
import { errorText } from '../notices/error-text'
import { useActivity, useParley } from '../parley-context'
import { Icon } from '../ui/icons'
import { QueuedChips } from './QueuedChips'
import { draftAfterRefusal, NewChat, sendPrompt } from './send-prompt'

export interface ComposerProps {
  sessionId: string | undefined
  /** A session was created to hold the first prompt: the window switches to it. */
  onSession: (sessionId: string) => void
  /** Stops the active answer; the queue goes on (rule D2). */
  onStop: () => void
}

/** Where prompts are written: Enter sends, Shift+Enter adds a line, Esc stops the answer. */
export function Composer(props: ComposerProps): JSX.Element {
  const { sessionId, onSession, onStop } = props
  const { api, activity, deletes } = useParley()
  const snapshot = useActivity()
  const run = sessionRun(snapshot, sessionId)
  const chips = queuedChips(snapshot, sessionId)
  const [draft, setDraft] = useState('')
  const [error, setError] = useState<string>()
  const input = useRef<HTMLTextAreaElement>(null)
  const newChat = useMemo(() => new NewChat(api), [api])

  useEffect(() => {
    input.current?.focus()
    // The chat the first prompt made is shown (or another was chosen): a prompt with no chat makes a new one again.
    if (sessionId) newChat.forget()
  }, [sessionId, newChat])

  const send = (): void => {
    const prompt = draft
    if (!prompt.trim()) return
    // The box clears at once; a refused prompt comes back (below), so nothing typed is lost.
    setDraft('')
    setError(undefined)
    void sendPrompt({ api, activity, newChat, deletes }, { sessionId, prompt, onSession }).then((outcome) => {
      if (outcome.ok) return
      setDraft((current) => draftAfterRefusal(current, prompt))
      setError(outcome.error)
    })
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

  const lines = draft.split('\n').length
  return (
    <div className="composer">
      <QueuedChips
        chips={chips}
        onRemove={removeChip}
        waitingLabel={waitReason(snapshot) === 'loading' ? 'Waiting for the model to load' : 'Waiting'}
      />
      {error ? (
        <p className="composer-error" role="alert" data-testid="composer-error">
          {error}
        </p>
      ) : null}
      <div className="composer-box">
        <textarea
          ref={input}
          className="composer-input"
          data-testid="composer-input"
          aria-label="Prompt"
          placeholder={run.busy ? 'Queue another prompt…' : 'Write a prompt…'}
          rows={Math.min(8, Math.max(1, lines))}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={onKeyDown}
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
            onClick={onStop}
          >
            <Icon name="stop" size="small" />
            Stop
          </button>
          <button
            type="button"
            className="button primary send-button"
            data-testid="send-button"
            aria-label={run.busy ? 'Queue the prompt (Enter)' : 'Send the prompt (Enter)'}
            disabled={!draft.trim()}
            onClick={send}
          >
            {run.busy ? 'Queue' : 'Send'}
          </button>
        </div>
      </div>
    </div>
  )
}
