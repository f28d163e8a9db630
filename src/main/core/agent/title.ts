import type { ResolvedModel } from './ports'

export const titleMaxTokens = 40
const fallbackChars = 50

const titleInstruction =
  'Write a title of at most six words for a chat that starts with the message below. Answer with the title only.'

/** The title shown when the model gives none: the prompt's first 50 characters and an ellipsis (rule E1). */
export function fallbackTitle(prompt: string): string {
  const flat = prompt.replace(/\s+/g, ' ').trim()
  return `${Array.from(flat).slice(0, fallbackChars).join('')}…`
}

/** Strips `<think>…</think>` (and an unclosed `<think>`), newlines, quotes and trailing punctuation. */
export function cleanTitle(raw: string): string {
  return raw
    .replace(/<think>[\s\S]*?(<\/think>|$)/gi, ' ')
    .replace(/[\r\n]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^["'“”‘’`*#]+|["'“”‘’`*]+$/g, '')
    .replace(/[.:;,]+$/, '')
    .trim()
}

/** Asks the model for a title; any failure or an empty answer gives the fallback. Never throws. */
export async function makeTitle(model: ResolvedModel, prompt: string, signal: AbortSignal): Promise<string> {
  try {
    let text = ''
    const stream = model.provider.stream(
      {
        model: model.ref.model,
        system: titleInstruction,
        messages: [{ role: 'user', content: prompt.slice(0, 2000) }],
        maxTokens: titleMaxTokens
      },
      signal
    )
    for await (const event of stream) if (event.type === 'text') text += event.text
    return cleanTitle(text) || fallbackTitle(prompt)
  } catch {
    return fallbackTitle(prompt)
  }
}
