import { useMemo, useState, type JSX } from 'react'
import { PROMPT_SHOWN_CHARS, PROMPT_SHOWN_LINES } from './markdown/limits'
import { firstLines } from './markdown/lines'

/** The start of a long prompt (its first lines, at most so many characters), or undefined when it is short enough. */
function promptStart(text: string): string | undefined {
  const start = firstLines(text, PROMPT_SHOWN_LINES).slice(0, PROMPT_SHOWN_CHARS)
  return start.length < text.length ? start : undefined
}

/** The user's prompt as typed; a long pasted one is collapsed to its start, with "Show more" and "Show less". */
export function PromptText(props: { text: string }): JSX.Element {
  const start = useMemo(() => promptStart(props.text), [props.text])
  const [expanded, setExpanded] = useState(false)
  return (
    <>
      <div className="message-text user-text" data-testid="message-text" dir="auto" data-collapsed={start !== undefined && !expanded}>
        {start !== undefined && !expanded ? `${start}…` : props.text}
      </div>
      {start === undefined ? null : (
        <button type="button" className="button small ghost prompt-toggle" data-testid="prompt-toggle" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
          {expanded ? 'Show less' : 'Show more'}
        </button>
      )}
    </>
  )
}
