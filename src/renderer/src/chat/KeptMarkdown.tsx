import type { JSX } from 'react'
import { copyFromKept } from './kept-copy'

/**
 * An answer's HTML as this window drew it before, put back as it was: from the last start's screen while the markdown
 * stack loads (`kept`), or while the answer is formatted anew in the background (`formatting`). Its Copy buttons have
 * no handlers of their own (innerHTML), so a click on one is handled here (`copyFromKept`), as the stack's button would.
 */
export function KeptMarkdown(props: { html: string; while: 'kept' | 'formatting' }): JSX.Element {
  const marks = props.while === 'kept' ? { 'data-testid': 'markdown-kept' } : { 'data-testid': 'markdown-formatting', 'data-formatting': '' }
  return <div className="markdown" {...marks} onClick={(event) => copyFromKept(event.target)} dangerouslySetInnerHTML={{ __html: props.html }} />
}
