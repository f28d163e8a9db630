import { memo, useMemo, type JSX } from 'react'
import ReactMarkdown, { type Components } from 'react-markdown'
import remarkGfm from 'remark-gfm'
import { markdownBlocks } from './markdown-blocks'

const plugins = [remarkGfm]

/** Links open in the system browser (main's window-open handler), never inside the app's window. */
const components: Components = {
  a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noreferrer noopener" />
}

/** One block, parsed again only when its own source changes. */
const MarkdownBlock = memo(function MarkdownBlock(props: { source: string }): JSX.Element {
  return (
    <ReactMarkdown remarkPlugins={plugins} components={components}>
      {props.source}
    </ReactMarkdown>
  )
})

/** An answer's markdown, block by block: while it streams, only the last block is parsed again each frame. */
export function Markdown(props: { text: string }): JSX.Element {
  const blocks = useMemo(() => markdownBlocks(props.text), [props.text])
  return (
    <div className="markdown">
      {blocks.map((block, index) => (
        // Blocks only ever grow at the end, so a block's index is a stable identity.
        <MarkdownBlock key={index} source={block} />
      ))}
    </div>
  )
}
