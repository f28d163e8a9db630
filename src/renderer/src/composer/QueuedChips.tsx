import { useRef, type JSX } from 'react'
import type { QueuedChip } from '../activity/session-activity'
import { Icon } from '../ui/icons'
import { IconButton } from '../ui/IconButton'
import { focusComposer } from './focus-composer'

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
  const list = useRef<HTMLOListElement>(null)
  // Chips asked to go, shown until main says the queue changed: the focus isn't handed to them.
  const removing = useRef(new Set<string>())
  // The removed chip's × goes with the focus in it (Enter on it, or a click): the focus goes to the next chip's ×, the
  // previous one's if it was the last, or the composer when none is left, so the next key isn't lost on the page.
  const remove = (runId: string): void => {
    const shown = props.chips.map((chip) => chip.runId)
    const before = removing.current
    removing.current = new Set(shown.filter((id) => id === runId || before.has(id)))
    const staying = props.chips.filter((chip) => chip.runId === runId || !before.has(chip.runId))
    const at = staying.findIndex((chip) => chip.runId === runId)
    const next = staying[at + 1] ?? staying[at - 1]
    const button = next ? removeButtonOf(list.current, next.runId) : null
    if (button) button.focus()
    else focusComposer(list.current?.ownerDocument ?? document)
    props.onRemove(runId)
  }
  if (props.chips.length === 0) return null
  return (
    <ol className="queue" aria-label="Queued prompts" ref={list}>
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
            onClick={() => remove(chip.runId)}
          />
        </li>
      ))}
    </ol>
  )
}

/** The × of the chip of `runId` in `list`. */
function removeButtonOf(list: HTMLOListElement | null, runId: string): HTMLButtonElement | null {
  const chip = Array.from(list?.children ?? []).find((item) => item instanceof HTMLElement && item.dataset['runId'] === runId)
  return chip?.querySelector<HTMLButtonElement>('button.chip-remove') ?? null
}
