import { memo, useMemo, type JSX } from 'react'
import { blockShape } from './markdown/block-shape'
import { CodeBlock } from './markdown/CodeBlock'
import { LongTable } from './markdown/LongTable'
import { LongText } from './markdown/LongText'
import { ParsedMarkdown } from './markdown/ParsedMarkdown'
import { markdownBlocks } from './markdown-blocks'

/** One block, drawn by its shape: parsed as markdown, unless parsing it whole would hold the window. */
const MarkdownBlock = memo(function MarkdownBlock(props: { source: string; open: boolean }): JSX.Element {
  const shape = useMemo(() => blockShape(props.source), [props.source])
  switch (shape.kind) {
    case 'markdown':
      return <ParsedMarkdown source={props.source} open={props.open} />
    case 'table':
      return <LongTable head={shape.head} rows={shape.rows} />
    case 'code':
      return <CodeBlock code={shape.code} language={shape.language} open={props.open} />
    case 'text':
      return <LongText text={props.source} />
  }
})

/** An answer's markdown, block by block: while it streams, only the last block is parsed again each frame. */
export function Markdown(props: { text: string }): JSX.Element {
  const blocks = useMemo(() => markdownBlocks(props.text), [props.text])
  return (
    <div className="markdown">
      {blocks.map((block, index) => (
        // Blocks only ever grow at the end, so a block's index is a stable identity.
        <MarkdownBlock key={index} source={block.text} open={block.open} />
      ))}
    </div>
  )
}
