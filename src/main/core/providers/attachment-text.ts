import type { LoadedAttachment } from '../attachments/attachment-store'
import type { ChatTurnMessage } from './provider'

/** A text or code file as a model reads it: its name, then its text in a fence longer than any backtick run in it. */
export function fencedFile(name: string, text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((run) => run[0].length))
  const fence = '`'.repeat(longest + 1)
  const language = name.includes('.') ? (name.split('.').pop() ?? '') : ''
  return `File: ${name}\n${fence}${language}\n${text}${text.endsWith('\n') ? '' : '\n'}${fence}`
}

/** A PDF as text: its name and page count, then each page's text under its number. */
export function pdfAsText(name: string, pages: readonly string[]): string {
  const body = pages.map((text, i) => `--- Page ${i + 1} ---\n${text}`).join('\n\n')
  return `PDF: ${name} (${pages.length} page${pages.length === 1 ? '' : 's'})\n\n${body}`
}

/**
 * A user turn's text as sent: the files sent as text (text files fenced, PDFs as their pages, unless `pdfAsText` is
 * false) first, then the prompt.
 */
export function turnText(turn: ChatTurnMessage, options: { pdfAsText: boolean }): string {
  const files = (turn.attachments ?? []).flatMap((attachment) => asText(attachment, options.pdfAsText))
  return [...files, turn.content].filter((part) => part.trim() !== '').join('\n\n')
}

function asText(attachment: LoadedAttachment, pdfs: boolean): string[] {
  if (attachment.kind === 'text') return [fencedFile(attachment.ref.name, attachment.text)]
  if (attachment.kind === 'pdf' && pdfs) return [pdfAsText(attachment.ref.name, attachment.pages)]
  return []
}
