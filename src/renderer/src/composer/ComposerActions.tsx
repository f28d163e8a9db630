import type { JSX } from 'react'
import { Icon } from '../ui/icons'

export interface ComposerActionsProps {
  /** The chat is answering: Stop shows, and Send queues the prompt instead. */
  busy: boolean
  /** There is a prompt or an attachment to send. */
  canSend: boolean
  onStop: () => void
  onSend: () => void
}

/** The composer's Stop and Send (Queue, while the chat answers) buttons. */
export function ComposerActions(props: ComposerActionsProps): JSX.Element {
  const { busy } = props
  return (
    <div className="composer-actions">
      {/* Always laid out, shown only while answering: the composer keeps its width when an answer starts. */}
      <button
        type="button"
        className={busy ? 'button stop-button' : 'button stop-button idle'}
        data-testid="stop-button"
        aria-label="Stop the answer (Esc)"
        title="Stop the answer (Esc)"
        aria-hidden={!busy}
        tabIndex={busy ? 0 : -1}
        disabled={!busy}
        onClick={props.onStop}
      >
        <Icon name="stop" size="small" />
        Stop
      </button>
      <button
        type="button"
        className="button primary send-button"
        data-testid="send-button"
        aria-label={busy ? 'Queue the prompt (Enter)' : 'Send the prompt (Enter)'}
        disabled={!props.canSend}
        onClick={props.onSend}
      >
        {busy ? 'Queue' : 'Send'}
      </button>
    </div>
  )
}
