import { StagedImport } from '../later/staged-import'

/**
 * The markdown stack (react-markdown with GFM and math, KaTeX, highlight.js: about half the window's code), loaded
 * when a chat is opened or the window is idle, not before the first paint. The parser and its HTML tables, then KaTeX
 * (typeset straight to HTML), then the highlighter with its languages, then the rest and the views: four chunks, each
 * evaluated in a task of its own.
 */
export const markdownCode = new StagedImport(
  [() => import('react-markdown'), () => import('katex'), () => import('./markdown/highlight')],
  () => import('./Markdown')
)
