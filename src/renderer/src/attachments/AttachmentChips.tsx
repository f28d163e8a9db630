import type { JSX } from 'react'
import { Icon, type IconName } from '../ui/icons'
import { IconButton } from '../ui/IconButton'
import { sizeLabel } from './attachable'
import type { AttachmentChip } from './chip-list'

const iconOf = (kind: AttachmentChip['kind']): IconName => (kind === 'pdf' ? 'pdf' : 'file')

function ChipStatus(props: { chip: AttachmentChip }): JSX.Element | null {
  const { state } = props.chip
  if (state.phase === 'reading') {
    return (
      <progress className="attachment-progress" data-testid="attachment-progress" max={1} value={state.fraction} aria-label={`Reading ${props.chip.name}`} />
    )
  }
  if (state.phase === 'uploading') {
    return <progress className="attachment-progress" data-testid="attachment-progress" aria-label={`Attaching ${props.chip.name}`} />
  }
  if (state.phase === 'refused') {
    return (
      <span className="attachment-error" data-testid="attachment-error" role="alert">
        {state.error}
      </span>
    )
  }
  if (state.warning !== undefined) {
    return (
      <span className="attachment-warning" data-testid="attachment-warning" role="status">
        {state.warning}
      </span>
    )
  }
  return null
}

/**
 * The composer's attachments: a thumbnail or an icon, the name and size, and progress, the reason it was refused, or
 * what the model may miss of it.
 */
export function AttachmentChips(props: { chips: readonly AttachmentChip[]; onRemove: (key: string) => void }): JSX.Element | null {
  if (props.chips.length === 0) return null
  return (
    <ul className="attachments" aria-label="Attachments" data-testid="composer-attachments">
      {props.chips.map((chip) => (
        <li
          key={chip.key}
          className={`attachment attachment-${chip.state.phase}`}
          data-testid="attachment-chip"
          data-phase={chip.state.phase}
          data-kind={chip.kind ?? 'unknown'}
          title={`${chip.name} · ${sizeLabel(chip.size)}`}
        >
          {chip.thumbnail ? (
            <img className="attachment-thumb" src={chip.thumbnail} alt="" data-testid="attachment-thumb" />
          ) : (
            <span className="attachment-icon">
              <Icon name={iconOf(chip.kind)} />
            </span>
          )}
          <span className="attachment-facts">
            <span className="attachment-name" data-testid="attachment-name">
              {chip.name}
            </span>
            <span className="attachment-size">{sizeLabel(chip.size)}</span>
            <ChipStatus chip={chip} />
          </span>
          <IconButton
            icon="close"
            size="small"
            className="chip-remove"
            testId="remove-attachment"
            label={`Remove ${chip.name}`}
            onClick={() => props.onRemove(chip.key)}
          />
        </li>
      ))}
    </ul>
  )
}
