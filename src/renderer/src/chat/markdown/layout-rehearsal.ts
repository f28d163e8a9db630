import { nextTask } from '../../later/staged-import'

/** One kind of box a formatted answer is made of, as the markdown view draws it (`html` inside `.markdown`). */
export interface RehearsedBox {
  readonly kind: 'text' | 'code' | 'table' | 'formula'
  readonly html: string
}

/**
 * The boxes of a formatted answer, each a few words long: text in every style (a heading, strong, emphasis, inline code,
 * a link, lists, a quote), a highlighted code block, a table, a formula (KaTeX's HTML and MathML). `codeHtml` and
 * `formulaHtml` are the libraries' own output, so they carry the classes and elements a real answer has.
 */
export function rehearsedBoxes(codeHtml: string, formulaHtml: string): RehearsedBox[] {
  return [
    {
      kind: 'text',
      html:
        '<h2>A heading</h2><p>A paragraph with <em>emphasis</em>, <strong>strong</strong>, <code>code</code> and a ' +
        '<a href="#">link</a>.</p><ul><li>one</li></ul><ol><li>first</li></ol><blockquote><p>a quote</p></blockquote>'
    },
    { kind: 'code', html: `<div class="code-block"><pre><code class="hljs">${codeHtml}</code></pre></div>` },
    {
      kind: 'table',
      html: '<div class="table-scroll"><table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td><code>2</code></td></tr></tbody></table></div>'
    },
    { kind: 'formula', html: `<p><span class="math math-inline">${formulaHtml}</span></p>` }
  ]
}

/**
 * Lays each box out once, hidden and off to the side, each in a task of its own, and takes it away again.
 *
 * Why: the first layout of a kind of box costs what later ones don't. Traced in Chromium (a long answer's first
 * layout, 14,000 characters: 20–23 ms in a fresh page against 5 ms the second time): each font face's first use (the
 * monospace stack, bold, italic, KaTeX's faces), MathML's own stylesheet, which the browser adds to the page when the
 * first `<math>` element comes, and the first table. Without this, all of it fell in the frame that draws the first
 * formatted answer of a chat opened at load (its task 53–69 ms; 32–44 ms with a rehearsal of this kind run first).
 * Returns how many boxes were laid out; where there is no document, or it has no body, none.
 */
export async function rehearseLayout(
  boxes: readonly RehearsedBox[],
  doc: Document | null = typeof document === 'undefined' ? null : document,
  pause: () => Promise<void> = nextTask
): Promise<number> {
  let laidOut = 0
  if (!doc) return laidOut
  for (const [index, box] of boxes.entries()) {
    if (index > 0) await pause()
    if (!doc.body) break
    const holder = doc.createElement('div')
    holder.setAttribute('aria-hidden', 'true')
    holder.inert = true
    holder.dataset['rehearsal'] = box.kind
    // Laid out like an answer's text (a column's width), never seen, never in the way of a click or a reader.
    holder.style.cssText = 'position:fixed;left:0;top:0;width:640px;height:0;overflow:hidden;visibility:hidden;pointer-events:none'
    holder.innerHTML = `<div class="message-text" dir="auto"><div class="markdown">${box.html}</div></div>`
    doc.body.append(holder)
    try {
      // Reading a size makes the browser work out the box's style and layout now.
      void (holder.firstElementChild as HTMLElement | null)?.offsetHeight
      laidOut += 1
    } finally {
      holder.remove()
    }
  }
  return laidOut
}
