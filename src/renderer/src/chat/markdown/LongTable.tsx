import { useEffect, useMemo, useState, type JSX } from 'react'
import { TABLE_ROWS_PER_PART } from './limits'
import { ParsedMarkdown } from './ParsedMarkdown'

/**
 * A table of thousands of rows. Parsed whole it would hold the window for seconds, so it is parsed and drawn
 * TABLE_ROWS_PER_PART rows at a time: the first part at once, and after "Show all rows" one more part each task, so
 * the window keeps answering while the rest arrives. Each part is its own table under the same head (a part after the
 * first hides it).
 */
export function LongTable(props: { head: string; rows: readonly string[] }): JSX.Element {
  const { head, rows } = props
  const partCount = Math.ceil(rows.length / TABLE_ROWS_PER_PART)
  const [wanted, setWanted] = useState(1)
  const [shown, setShown] = useState(1)
  // Only the parts on screen are joined: while the table streams, its rows change every frame.
  const parts = useMemo(
    () =>
      Array.from({ length: Math.min(shown, partCount) }, (_, index) => {
        const at = index * TABLE_ROWS_PER_PART
        return `${head}\n${rows.slice(at, at + TABLE_ROWS_PER_PART).join('\n')}`
      }),
    [head, rows, shown, partCount]
  )
  useEffect(() => {
    if (shown >= wanted || shown >= partCount) return
    const timer = setTimeout(() => setShown((count) => count + 1), 0)
    return () => clearTimeout(timer)
  }, [shown, wanted, partCount])
  return (
    <div className="long-table" data-testid="long-table" data-parts-shown={shown}>
      {parts.map((source, index) => (
        <div key={index} className={index === 0 ? undefined : 'table-part-continued'}>
          <ParsedMarkdown source={source} open={false} />
        </div>
      ))}
      {wanted === 1 && partCount > 1 ? (
        <button type="button" className="button small show-all" data-testid="show-all" onClick={() => setWanted(partCount)}>
          Show all {rows.length.toLocaleString()} rows
        </button>
      ) : null}
    </div>
  )
}
