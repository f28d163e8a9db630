import { memo, useMemo, type JSX } from 'react'
import { TableVirtuoso, type TableComponents } from 'react-virtuoso'
import { TABLE_FIRST_ROWS_DRAWN } from './limits'
import { InlineMarkdown } from './ParsedMarkdown'
import { asInlineMarkdown, cellHasMarkup, columnAligns, fittedCells, rowCells, type ColumnAlign } from './table-rows'

interface TableContext {
  /** Rows in the table, its head included (what `aria-rowcount` says, since most rows are not in the page). */
  readonly rowCount: number
}

/** A cell as plain text when it has no markup (most do not), else its inline markdown. */
const Cell = memo(function Cell(props: { source: string }): JSX.Element {
  return cellHasMarkup(props.source) ? <InlineMarkdown source={asInlineMarkdown(props.source)} /> : <>{props.source}</>
})

const scrollerStyle = { height: 'min(28rem, 60vh)' }

/** Defined once, outside the view: Virtuoso remounts parts whose identity changes. */
const tableParts: TableComponents<string, TableContext> = {
  Table: ({ context, ...props }) => <table {...props} aria-rowcount={context?.rowCount} />,
  // aria-rowindex counts from 1 and the head is row 1.
  // Striped by the row's own index: the rows in the page start anywhere, after a spacer row.
  TableRow: ({ context: _context, item: _item, ...props }) => (
    <tr {...props} aria-rowindex={props['data-index'] + 2} data-stripe={props['data-index'] % 2 === 1} />
  )
}

function cellsOf(row: string, aligns: readonly ColumnAlign[], tag: 'th' | 'td'): JSX.Element[] {
  const Tag = tag
  return fittedCells(row, aligns.length).map((cell, index) => (
    <Tag key={index} style={aligns[index] ? { textAlign: aligns[index] } : undefined}>
      <Cell source={cell} />
    </Tag>
  ))
}

/**
 * A table of many rows. react-markdown takes seconds over thousands of rows (3.6 s for 3,000 here), so the table is
 * not given to it whole: the rows are split here, only the rows in view are in the page (one table, in a scroller of
 * its own), and a cell goes to the markdown parser only when it has markup.
 */
export function LongTable(props: { head: string; rows: readonly string[] }): JSX.Element {
  const [headRow = '', delimiter = ''] = props.head.split('\n')
  const aligns = useMemo(() => {
    const fromDelimiter = columnAligns(delimiter)
    return rowCells(headRow).map((_, index) => fromDelimiter[index])
  }, [headRow, delimiter])
  const context = useMemo(() => ({ rowCount: props.rows.length + 1 }), [props.rows.length])
  return (
    <div className="long-table" data-testid="long-table">
      <TableVirtuoso
        className="long-table-scroller"
        // Virtuoso sets its own height inline (100% of a parent that has none here), so the box's height is set here.
        style={scrollerStyle}
        data={props.rows}
        context={context}
        components={tableParts}
        initialItemCount={Math.min(TABLE_FIRST_ROWS_DRAWN, props.rows.length)}
        fixedHeaderContent={() => <tr aria-rowindex={1}>{cellsOf(headRow, aligns, 'th')}</tr>}
        itemContent={(_index, row) => cellsOf(row, aligns, 'td')}
      />
      <p className="long-table-count" data-testid="long-table-count">
        {props.rows.length.toLocaleString()} rows
      </p>
    </div>
  )
}
