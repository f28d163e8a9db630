import { nextTask, StagedImport, type ImportStep } from '../later/staged-import'
import { loadFormulaFonts } from './markdown/formula-fonts'
import { rehearsedBoxes, rehearseLayout } from './markdown/layout-rehearsal'

/**
 * What the warm-ups format: the commonest shapes of an answer (CommonMark; GFM's tables and math come later), in two
 * pieces formatted in tasks of their own (together, one task of 30–50 ms in traces at 50,000 chats).
 */
const sampleAnswers: readonly string[] = [
  ['## A heading', 'A paragraph with *emphasis*, **strong**, `code` and a [link](https://example.com).'].join('\n\n'),
  ['- one\n- two\n\n1. first\n2. second', '> a quote', '```ts\nconst answer = 42\n```'].join('\n\n')
]
const sampleFormula = String.raw`\sum_{k=1}^{n} k^2 = \frac{n(n+1)(2n+1)}{6}, \quad \sqrt{x_i}`
/**
 * The grammars most answers use: highlight.js compiles each on its first use (TypeScript's took 20 ms in Node), so each
 * is used in a task of its own.
 */
const sampleCode: readonly (readonly [string, string])[] = [
  ['typescript', 'export function f(x: number): string {\n  return String(x * 2) // twice\n}\n'],
  ['python', 'def f(x: int) -> str:\n    return str(x * 2)  # twice\n'],
  ['bash', 'for f in *.txt; do echo "$f"; done\n']
]

/**
 * The markdown stack's chunks in the order they load, each with a first use of its code (`ImportStep.warm`): the
 * parser (react-markdown, micromark), KaTeX, the highlighter with its languages.
 */
export const markdownSteps: readonly ImportStep[] = [
  {
    load: () => import('react-markdown'),
    warm: async () => {
      const Markdown = (await import('react-markdown')).default
      for (const [index, sample] of sampleAnswers.entries()) {
        if (index > 0) await nextTask()
        Markdown({ children: sample })
      }
    }
  },
  {
    load: () => import('katex'),
    warm: async () => {
      const katex = (await import('katex')).default
      katex.renderToString(sampleFormula, { throwOnError: false })
      // The fonts of ordinary formulas, asked for now (KaTeX's stylesheet, which declares them, is the window's:
      // main.tsx), are in by the time the views' step lays a formula out (`rehearseLayout`).
      loadFormulaFonts()
    }
  },
  {
    load: () => import('./markdown/highlight'),
    warm: async () => {
      const { highlightedHtml } = await import('./markdown/highlight')
      for (const [index, [language, code]] of sampleCode.entries()) {
        if (index > 0) await nextTask()
        highlightedHtml(code, language)
      }
    }
  },
  {
    load: () => import('./Markdown'),
    warm: async () => {
      const [katex, { highlightedHtml }] = await Promise.all([import('katex'), import('./markdown/highlight')])
      const [language, code] = sampleCode[0] ?? ['typescript', '']
      await rehearseLayout(rehearsedBoxes(highlightedHtml(code, language) ?? '', katex.default.renderToString(sampleFormula, { throwOnError: false })))
    }
  }
]

/**
 * The markdown stack (react-markdown with GFM and math, KaTeX, highlight.js: about half the window's code), loaded
 * when a chat is opened or the window is idle, not before the first paint. The parser and its HTML tables, then KaTeX
 * (typeset straight to HTML), then the highlighter with its languages, then the rest and the views: four chunks, each
 * evaluated in a task of its own and rehearsed, the last by laying out a formatted answer's kinds of box, hidden, before
 * the views are handed out (a chat's first formatted answer no longer pays their first layout).
 */
export const markdownCode = new StagedImport(markdownSteps, () => import('./Markdown'))
