import type { JSX, Ref } from 'react'
import { Icon, type IconName, type IconSize } from './icons'

export interface IconButtonProps {
  icon: IconName
  /** What the button does: its accessible name and its tooltip. */
  label: string
  testId?: string
  size?: IconSize
  disabled?: boolean
  /** A toggle's state (`aria-pressed`); left out for a plain button. */
  pressed?: boolean
  /** Whether what it shows or hides is shown (`aria-expanded`); left out when it shows nothing. */
  expanded?: boolean
  /** Where it sits, for its placement and when it shows (e.g. `message-action`, shown on hover). */
  className?: string
  /** The button itself, for a part of the window that gives it the focus back. */
  ref?: Ref<HTMLButtonElement>
  onClick: () => void
}

/** The one icon-only button: an icon from the icon module, named by its label for screen readers and in a tooltip. */
export function IconButton(props: IconButtonProps): JSX.Element {
  const size = props.size ?? 'normal'
  const classes = ['icon-button', size === 'small' ? 'small' : null, props.className ?? null].filter((name) => name !== null)
  return (
    <button
      ref={props.ref}
      type="button"
      className={classes.join(' ')}
      data-testid={props.testId}
      aria-label={props.label}
      title={props.label}
      aria-pressed={props.pressed}
      aria-expanded={props.expanded}
      disabled={props.disabled}
      onClick={props.onClick}
    >
      <Icon name={props.icon} size={size} />
    </button>
  )
}
