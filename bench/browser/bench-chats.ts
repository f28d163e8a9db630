import { archiveFormat, archiveVersion, type ArchivedChat, type ArchivedMessage, type ChatArchive } from '../../src/shared'

// The chats the browser bench seeds, made up here and sent to main as a `parley.chats` archive (the app's own import).
// Every message carries a marker (`m00042`) so the harness can tell from the page which message is painted.

const words = [
  'the', 'model', 'answer', 'stream', 'token', 'window', 'history', 'branch', 'prompt', 'chat', 'local', 'first',
  'render', 'frame', 'queue', 'session', 'journal', 'index', 'search', 'paging', 'sidebar', 'memory', 'scroll', 'paint'
]

/** `count` words, each with its leading space, starting from word `seed`. */
export function wordsFrom(seed: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => ` ${words[(seed * 7 + i * 5) % words.length] ?? 'word'}`)
}

/** The marker of message `index` in its chat: `m00042`. */
export const marker = (index: number): string => `m${String(index).padStart(5, '0')}`

export interface ChatShape {
  /** Words in each message's prose. */
  readonly words: number
  /** Every `codeEvery`-th message (counting from 1) also has a fenced TypeScript block; 0 for none. */
  readonly codeEvery: number
  /** Every `mathEvery`-th message has inline and display math; 0 for none. */
  readonly mathEvery: number
}

/** The text of message `index` of a bench chat: marker, prose, and by its shape a code block and math. */
export function benchMessageText(index: number, shape: ChatShape): string {
  let text = `${marker(index)}${wordsFrom(index, shape.words).join('')}.`
  if (shape.mathEvery > 0 && (index + 1) % shape.mathEvery === 0) text += `\n\nInline $e^{i\\pi} + ${index} = ${index - 1}$ and:\n\n$$\\sum_{k=1}^{${index}} k^2$$`
  if (shape.codeEvery > 0 && (index + 1) % shape.codeEvery === 0) {
    text += `\n\n\`\`\`ts\nexport function step${index}(value: number): number {\n  const next = value * ${index} + 1\n  return next % 97 // ${marker(index)}\n}\n\`\`\`\n\nDone.`
  }
  return text
}

/** A long answer, as models write them (~14,000 characters): a heading, prose, lists, six code blocks, a table, math. */
export function longAnswer(index: number): string {
  const prose = (seed: number, count: number): string => `${marker(index)}${wordsFrom(seed, count).join('')}.`
  const parts = [`## Answer ${index}`, prose(index, 80)]
  for (let block = 0; block < 6; block++) {
    parts.push(prose(index + block, 60))
    parts.push([1, 2, 3].map((item) => `- ${prose(index + block + item, 12)}`).join('\n'))
    const lines = Array.from({ length: 18 }, (_, line) => `export function f${index}_${block}_${line}(x: number): string { return String(x * ${line}) + "abcabcabc" }`)
    parts.push(['```ts', ...lines, '```'].join('\n'))
  }
  parts.push(['| a | b | c |', '|---|---|---|', ...Array.from({ length: 8 }, (_, row) => `| ${row} | **${row * 2}** | \`${row * 3}\` |`)].join('\n'))
  parts.push(`Inline $x^${index}$ and $$\\sum_{k=1}^{${index}} k$$`)
  return parts.join('\n\n')
}

/** One chat of `count` messages, user and assistant in turn, each the parent of the next; its leaf is the last. */
export function benchChat(id: string, title: string, count: number, shape: ChatShape, at = 1_700_000_000_000): ArchivedChat {
  const messages: ArchivedMessage[] = Array.from({ length: count }, (_, index) => ({
    id: `${id}-${index}`,
    parentId: index === 0 ? null : `${id}-${index - 1}`,
    role: index % 2 === 0 ? 'user' : 'assistant',
    parts: [{ type: 'text', text: benchMessageText(index, shape) }],
    createdAt: at + index
  }))
  return { id, title, createdAt: at, updatedAt: at + count, leafId: messages.at(-1)?.id ?? null, messages }
}

/** A chat of `count` messages whose answers are all long (`longAnswer`), its prompts as in `benchChat`. */
export function longAnswersChat(id: string, title: string, count: number): ArchivedChat {
  const chat = benchChat(id, title, count, { words: 12, codeEvery: 0, mathEvery: 0 })
  return { ...chat, messages: chat.messages.map((message, index) => (index % 2 === 1 ? { ...message, parts: [{ type: 'text', text: longAnswer(index) }] } : message)) }
}

/** `count` chats of two short messages each, newest last (`Chat 00042`). */
export function manyChats(count: number, at = 1_700_000_000_000): ArchivedChat[] {
  return Array.from({ length: count }, (_, index) =>
    benchChat(`many-${index}`, `Chat ${String(index).padStart(5, '0')}`, 2, { words: 12, codeEvery: 0, mathEvery: 0 }, at + index * 10)
  )
}

export function archiveOf(chats: ArchivedChat[]): ChatArchive {
  return { format: archiveFormat, version: archiveVersion, exportedAt: 1_700_000_000_000, chats }
}

/**
 * The streamed answer: `count` word tokens with a marker every 10 tokens (`s00010`), a fenced code block every 200
 * and math every 100, so highlighting and math both work while it streams. Joined, the tokens are the answer.
 */
export function streamTokens(count: number, tag: string): string[] {
  const tokens: string[] = []
  for (let i = 0; tokens.length < count; i++) {
    if (i % 10 === 0) tokens.push(` ${tag}${String(i).padStart(5, '0')}`)
    else if (i % 200 === 153) tokens.push('\n\n```ts\n', 'const', ' answer', ` = ${i}`, '\n```\n\n')
    else if (i % 100 === 57) tokens.push(' $x^', `{${i}}$`)
    else tokens.push(...wordsFrom(i, 1))
  }
  tokens.length = count
  // The last token is a marker of its own, so "the last token is painted" is one text to look for.
  tokens[count - 1] = ` ${tag}end`
  return tokens
}

/** How many of `markers` are not found in `text` in their order. */
export function missingInOrder(text: string, markers: readonly string[]): number {
  let from = 0
  let missing = 0
  for (const m of markers) {
    const at = text.indexOf(m, from)
    if (at < 0) missing += 1
    else from = at + m.length
  }
  return missing
}
