import type { TitleSource } from '../../../shared'
import type { ResolvedModel } from './ports'

/** A title and where it came from: the model, or the fallback when the model gave none (rule E1). */
export interface MadeTitle {
  title: string
  source: Extract<TitleSource, 'model' | 'fallback'>
}

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

/** What a chat's title is made from (E1): its first prompt, or its first file's name when the prompt has no words. */
export function titleSeed(prompt: string, attachments: readonly { name: string }[] | undefined): string {
  return prompt.trim() || attachments?.[0]?.name || 'New chat'
}

/** The prompt a fallback title was made from, as far as the title still holds it (E3 asks the model again with it). */
export function seedOfFallback(title: string): string {
  return title.endsWith('…') ? title.slice(0, -1) : title
}

/** Asks the model for a title; any failure or an empty answer gives the fallback. Never throws. */
export async function makeTitle(model: () => ResolvedModel, prompt: string, signal: AbortSignal): Promise<MadeTitle> {
  const fallback: MadeTitle = { title: fallbackTitle(prompt), source: 'fallback' }
  try {
    let text = ''
    const { provider, ref } = model()
    const stream = provider.stream(
      {
        model: ref.model,
        system: titleInstruction,
        messages: [{ role: 'user', content: prompt.slice(0, 2000) }],
        maxTokens: titleMaxTokens
      },
      signal
    )
    for await (const event of stream) if (event.type === 'text') text += event.text
    const title = cleanTitle(text)
    return title ? { title, source: 'model' } : fallback
  } catch {
    return fallback
  }
}
