import type { JSX } from 'react'
import { IconButton } from '../ui/IconButton'

/** Floats over the chat's bottom right while the newest message is out of view: a click brings the list there. */
export function JumpToNewest(props: { onJump: () => void }): JSX.Element {
  return <IconButton icon="arrow-down" label="Jump to the newest message (End)" testId="jump-to-newest" className="jump-to-newest" onClick={props.onJump} />
}
