import { useState, type JSX } from 'react'
import { PARSE_MAX_CHARS } from './limits'

/** A block too long to parse as markdown (a megabyte on one line, say): its start as plain text, and "Show all". */
export function LongText(props: { text: string }): JSX.Element {
  const [showAll, setShowAll] = useState(false)
  const capped = !showAll && props.text.length > PARSE_MAX_CHARS
  return (
    <div className="long-text" data-testid="long-text">
      <p className="long-text-body">{capped ? `${props.text.slice(0, PARSE_MAX_CHARS)}…` : props.text}</p>
      {capped ? (
        <button type="button" className="button small show-all" data-testid="show-all" onClick={() => setShowAll(true)}>
          Show all {props.text.length.toLocaleString()} characters
        </button>
      ) : null}
    </div>
  )
}
