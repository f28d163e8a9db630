import type { ExtraProps } from 'react-markdown'

type HastElement = NonNullable<ExtraProps['node']>

/** A fenced code block as react-markdown parsed it: `<pre><code class="language-ts">…</code></pre>`. */
export interface FencedCode {
  readonly code: string
  readonly language: string | undefined
}

/** The code and language inside a parsed `<pre>`, or undefined when it holds something other than one `<code>`. */
export function fencedCodeOf(pre: HastElement | undefined): FencedCode | undefined {
  const [code] = pre?.children ?? []
  if (code?.type !== 'element' || code.tagName !== 'code') return undefined
  const classes = code.properties['className']
  const languageClass = Array.isArray(classes) ? classes.find((name) => String(name).startsWith('language-')) : undefined
  const text = code.children.map((child) => (child.type === 'text' ? child.value : '')).join('')
  // The parser keeps the newline before the closing fence; the code as written does not end with it.
  return { code: text.replace(/\n$/, ''), language: languageClass === undefined ? undefined : String(languageClass).slice('language-'.length) }
}

/** The source of an inline formula (`$…$`, which remark-math parses to `<code class="language-math math-inline">`). */
export function mathOf(code: HastElement | undefined): string | undefined {
  const classes = code?.properties['className']
  if (!code || !Array.isArray(classes) || !classes.includes('math-inline')) return undefined
  return code.children.map((child) => (child.type === 'text' ? child.value : '')).join('')
}
