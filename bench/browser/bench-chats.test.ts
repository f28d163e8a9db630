import { describe, expect, it } from 'vitest'
import { readArchive } from '../../src/shared'
import { archiveOf, benchChat, benchMessageText, longAnswersChat, manyChats, marker, missingInOrder, streamTokens } from './bench-chats'

describe('bench chats', () => {
  it('make an archive the app accepts: one branch, the leaf last, every message marked', () => {
    const chat = benchChat('c', 'A chat', 20, { words: 10, codeEvery: 5, mathEvery: 10 })
    const reading = readArchive(archiveOf([chat, ...manyChats(3)]))
    expect(reading.ok).toBe(true)
    expect(chat.leafId).toBe('c-19')
    expect(chat.messages.map((m) => m.role).slice(0, 3)).toEqual(['user', 'assistant', 'user'])
    chat.messages.forEach((message, index) => expect(message.parts[0]?.text.startsWith(marker(index))).toBe(true))
  })

  it('give the streaming chat of 500 messages about 100k words and 100 code blocks', () => {
    const shape = { words: 190, codeEvery: 5, mathEvery: 10 }
    const texts = Array.from({ length: 500 }, (_, i) => benchMessageText(i, shape))
    expect(texts.filter((t) => t.includes('```ts')).length).toBe(100)
    expect(texts.filter((t) => t.includes('$$')).length).toBe(50)
    const words = texts.join(' ').split(/\s+/).length
    expect(words).toBeGreaterThan(95_000)
    expect(words).toBeLessThan(130_000)
  })

  it('stream exactly the tokens asked for, ending on the end marker, with code and math inside', () => {
    const tokens = streamTokens(1_000, 'on')
    expect(tokens).toHaveLength(1_000)
    expect(tokens.at(-1)).toBe(' onend')
    const text = tokens.join('')
    expect(text).toContain('```ts')
    expect(text).toContain('$x^')
    const markers = tokens.filter((t) => /^ on\d{5}$/.test(t)).map((t) => Number(t.slice(3)))
    expect(markers.length).toBeGreaterThan(90)
    expect(markers).toEqual([...markers].sort((a, b) => a - b))
  })

  it('make a chat of long answers: every answer ~14,000 characters with its marker, code, a table and math; prompts short', () => {
    const chat = longAnswersChat('la', 'Long answers', 10)
    const texts = chat.messages.map((message) => message.parts.map((part) => part.text).join(''))
    expect(readArchive(archiveOf([chat])).ok).toBe(true)
    expect(chat.leafId).toBe('la-9')
    for (const [index, text] of texts.entries()) {
      expect(text).toContain(marker(index))
      if (index % 2 === 0) expect(text.length).toBeLessThan(200)
      else {
        expect(text.length).toBeGreaterThan(12_000)
        expect(text.match(/```ts/g)).toHaveLength(6)
        expect(text).toContain('|---|---|---|')
        expect(text).toContain('$$')
      }
    }
  })

  it('count markers missing from painted text, in order', () => {
    expect(missingInOrder('a1 b a2 a3', ['a1', 'a2', 'a3'])).toBe(0)
    expect(missingInOrder('a1 a3', ['a1', 'a2', 'a3'])).toBe(1)
    expect(missingInOrder('a3 a2 a1', ['a1', 'a2', 'a3'])).toBe(2)
  })
})
