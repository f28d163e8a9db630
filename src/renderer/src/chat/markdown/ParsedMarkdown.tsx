import { memo, type JSX } from 'react'
import ReactMarkdown, { type Components } from 'react-markdown'
import remarkGfm from 'remark-gfm'
import remarkMath from 'remark-math'
import { CodeBlock } from './CodeBlock'
import { fencedCodeOf, mathOf } from './fenced-code'
import { MathFormula } from './math'

const remarkPlugins = [remarkGfm, remarkMath]

/** The elements we draw ourselves; `open` says whether the block's code fence is still streaming. */
function componentsFor(open: boolean): Components {
  return {
    // Links open in the system browser (main's window-open handler), never inside the app's window.
    a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noreferrer noopener" />,
    pre: ({ node, children }) => {
      const fenced = fencedCodeOf(node)
      if (!fenced) return <pre>{children}</pre>
      // `$$…$$` and a ```math fence are display formulas (remark-math marks them `language-math`).
      if (fenced.language === 'math' && !open) return <MathFormula tex={fenced.code} mode="display" />
      return <CodeBlock code={fenced.code} language={fenced.language} open={open} />
    },
    // `$…$`: remark-math makes it `<code class="language-math math-inline">`; other inline code stays code.
    code: ({ node, ...props }) => {
      const tex = mathOf(node)
      return tex === undefined ? <code {...props} /> : <MathFormula tex={tex} mode="inline" />
    },
    // A wide table scrolls inside the message rather than widening it.
    table: ({ node: _node, ...props }) => (
      <div className="table-scroll">
        <table {...props} />
      </div>
    )
  }
}

const closedComponents = componentsFor(false)
const openComponents = componentsFor(true)

const inlineComponents: Components = {
  a: closedComponents.a,
  code: closedComponents.code,
  // A table cell holds inline content only: the paragraph the parser wraps it in is dropped.
  p: ({ children }) => <>{children}</>
}

/** One table cell's inline markdown (emphasis, code, links, math), without the block around it. */
export const InlineMarkdown = memo(function InlineMarkdown(props: { source: string }): JSX.Element {
  return (
    <ReactMarkdown remarkPlugins={remarkPlugins} components={inlineComponents}>
      {props.source}
    </ReactMarkdown>
  )
})

/** One block of markdown (GFM, math), parsed again only when its own source changes. */
export const ParsedMarkdown = memo(function ParsedMarkdown(props: { source: string; open: boolean }): JSX.Element {
  return (
    <ReactMarkdown remarkPlugins={remarkPlugins} components={props.open ? openComponents : closedComponents}>
      {props.source}
    </ReactMarkdown>
  )
})
