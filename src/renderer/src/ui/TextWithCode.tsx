import type { JSX } from 'react'

/** A line as plain parts and `backticked` commands; a backtick with no partner stays as it is. */
export function codeSpans(text: string): { code: boolean; text: string }[] {
  const parts = text.split('`')
  // An even count of parts means an odd count of backticks: the last one opens nothing.
  const unmatched = parts.length % 2 === 0 ? parts.splice(-2).join('`') : undefined
  const spans = parts.map((part, index) => ({ code: index % 2 === 1, text: part }))
  if (unmatched !== undefined) spans.push({ code: false, text: unmatched })
  return spans.filter((span) => span.text !== '')
}

/** A hint that names commands (the presets' "run `ollama pull llama3.2`"): the commands read as code, as on the welcome. */
export function TextWithCode(props: { text: string }): JSX.Element {
  return <>{codeSpans(props.text).map((span, index) => (span.code ? <code key={index}>{span.text}</code> : span.text))}</>
}
