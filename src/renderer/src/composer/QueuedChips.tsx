import type { JSX } from 'react'
import type { QueuedChip } from '../activity/session-activity'
import { Icon } from '../ui/icons'
import { IconButton } from '../ui/IconButton'

const stateLabels: Record<QueuedChip['state'], string> = {
  sending: 'Sending',
  queued: 'Queued',
  waiting: 'Waiting'
}

/**
 * The prompts waiting for their turn, in order, each removable. A chip's text is the prompt alone, so what it says is
 * exactly what was sent: its state is shown by style and named in its title, and a waiting chip (C3) also says
 * "Waiting" beside it, since that is the state a person needs explained.
 */
export function QueuedChips(props: {
  chips: readonly QueuedChip[]
  onRemove: (runId: string) => void
  /** What a waiting chip says: "Waiting", or "Waiting for the model to load" while it loads (rule C6). */
  waitingLabel?: string
}): JSX.Element | null {
  const waitingLabel = props.waitingLabel ?? stateLabels.waiting
  if (props.chips.length === 0) return null
  return (
    <ol className="queue" aria-label="Queued prompts">
      {props.chips.map((chip) => (
        <li
          key={chip.runId}
          className={`chip chip-${chip.state}`}
          data-testid="queued-chip"
          data-run-id={chip.runId}
          data-state={chip.state}
          title={`${chip.state === 'waiting' ? waitingLabel : stateLabels[chip.state]}: ${chip.prompt}`}
        >
          {chip.state === 'waiting' ? (
            <span className="chip-state" data-testid="chip-state">
              {waitingLabel}
            </span>
          ) : null}
          <span className="chip-text" data-testid="chip-text">
            {chip.prompt}
          </span>
          {chip.attachments > 0 ? (
            <span
              className="chip-attachments"
              data-testid="chip-attachments"
              aria-label={chip.attachments === 1 ? '1 attachment' : `${chip.attachments} attachments`}
            >
              <Icon name="paperclip" size="small" />
              {chip.attachments}
            </span>
          ) : null}
          <IconButton
            icon="close"
            size="small"
            className="chip-remove"
            testId="remove-chip"
            label={`Remove queued prompt: ${chip.prompt.slice(0, 80)}`}
            onClick={() => props.onRemove(chip.runId)}
          />
        </li>
      ))}
    </ol>
  )
}
