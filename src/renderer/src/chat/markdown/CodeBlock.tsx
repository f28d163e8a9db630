import { useMemo, useState, type CSSProperties, type JSX } from 'react'
import { pageTestHooks } from '../../test-seams'
import { CopyButton } from './CopyButton'
import { highlightedHtml } from './highlight'
import { CODE_SHOWN_LINES } from './limits'
import { firstLines, lineCount } from './lines'

export interface CodeBlockProps {
  readonly code: string
  /** As the fence named it (`ts`, `python`), or undefined. */
  readonly language: string | undefined
  /** Still streaming (its closing fence has not arrived): shown as plain text, highlighted once it is closed. */
  readonly open: boolean
}

/**
 * A fenced code block: its language, a copy button (the whole code, as written), and the code, highlighted once the
 * block is closed. A very long block shows its first lines and "Show all"; past the highlighter's limit it is plain.
 */
export function CodeBlock(props: CodeBlockProps): JSX.Element {
  const { code, language, open } = props
  const [showAll, setShowAll] = useState(false)
  const lines = useMemo(() => lineCount(code), [code])
  const capped = !showAll && lines > CODE_SHOWN_LINES
  const shown = useMemo(() => (capped ? firstLines(code, CODE_SHOWN_LINES) : code), [capped, code])
  const shownLines = capped ? CODE_SHOWN_LINES : lines
  // The benchmark's test seam turns highlighting off for its baseline (never set in the shipped app).
  const plain = open || pageTestHooks().plainCode === true
  const html = useMemo(() => (plain ? undefined : highlightedHtml(shown, language)), [plain, shown, language])
  return (
    <div className="code-block" data-testid="code-block" data-highlighted={html !== undefined}>
      <div className="code-block-bar">
        <span className="code-language" data-testid="code-language">
          {language ?? 'text'}
        </span>
        {open ? null : <CopyButton text={code} />}
      </div>
      <pre className={open ? undefined : 'code-closed'} style={{ '--code-lines': shownLines } as CSSProperties}>
        {html === undefined ? <code>{shown}</code> : <code className="hljs" dangerouslySetInnerHTML={{ __html: html }} />}
      </pre>
      {capped ? (
        <button type="button" className="button small show-all" data-testid="show-all" onClick={() => setShowAll(true)}>
          Show all {lines.toLocaleString()} lines
        </button>
      ) : null}
    </div>
  )
}
