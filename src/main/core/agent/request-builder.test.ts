import { describe, expect, it } from 'vitest'
import type { AttachmentRef, Message, ModelRef } from '../../../shared'
import type { LoadedAttachment } from '../attachments/attachment-store'
import {
  attachmentTokens,
  buildRequest,
  contextBudget,
  contextFills,
  contextIsFull,
  estimateTokens,
  messageTokens,
  turnOptions
} from './request-builder'

let clock = 0
const msg = (role: 'user' | 'assistant', text: string): Message => ({
  id: `m${++clock}`,
  sessionId: 's',
  runId: `r${clock}`,
  role,
  parts: [{ type: 'text', text }],
  status: 'finished',
  createdAt: clock
})
const model: ModelRef = { providerId: 'p', model: 'm', contextWindow: 8192, maxOutputTokens: 1024 }

describe('buildRequest (rule B2)', () => {
  it('puts the system prompt first and keeps the history in order, ending with the new user message', () => {
    const request = buildRequest({
      system: 'Be kind.',
      history: [msg('user', 'a'), msg('assistant', 'b'), msg('user', 'c')],
      model
    })
    expect(request).toEqual({
      model: 'm',
      system: 'Be kind.',
      maxTokens: 1024,
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
        { role: 'user', content: 'c' }
      ]
    })
  })

  it('H2: a prompt whose turn got no text is left out of later turns, never joined to the next prompt', () => {
    const request = buildRequest({
      system: '',
      history: [msg('user', 'first'), msg('assistant', ''), msg('user', 'second')],
      model
    })
    expect(request.system).toBeUndefined()
    expect(request.messages).toEqual([{ role: 'user', content: 'second' }])
  })

  it('H2: a refused prompt (no answer at all) does not poison the chat; answered turns around it stay', () => {
    const history = [
      msg('user', 'hello'),
      msg('assistant', 'hi'),
      msg('user', 'x'.repeat(50)), // refused: its failed answer has no text
      msg('assistant', ''),
      msg('user', 'cancelled before the first token'), // and no answer message at all
      msg('user', 'now')
    ]
    expect(buildRequest({ system: '', history, model }).messages).toEqual([
      { role: 'user', content: 'hello' },
      { role: 'assistant', content: 'hi' },
      { role: 'user', content: 'now' }
    ])
  })

  it('leaves reasoning out of the request', () => {
    const answer = msg('assistant', 'visible')
    answer.parts.unshift({ type: 'reasoning', text: 'hidden' })
    const request = buildRequest({ system: '', history: [msg('user', 'q'), answer, msg('user', 'q2')], model })
    expect(request.messages[1]).toEqual({ role: 'assistant', content: 'visible' })
  })

  it('drops the oldest messages while the context window would overflow, and starts with a user message', () => {
    const long = 'x'.repeat(2000) // about 500 tokens each
    const history = [msg('user', `1${long}`), msg('assistant', `2${long}`), msg('user', `3${long}`), msg('assistant', `4${long}`), msg('user', '5 now')]
    const small: ModelRef = { ...model, contextWindow: 1700, maxOutputTokens: 500 }
    const request = buildRequest({ system: '', history, model: small })
    const budget = small.contextWindow - small.maxOutputTokens
    const used = request.messages.reduce((sum, m) => sum + estimateTokens(m.content), 0)
    expect(used).toBeLessThanOrEqual(budget)
    expect(request.messages[0]?.role).toBe('user')
    expect(request.messages.at(-1)?.content).toBe('5 now')
    expect(request.messages.map((m) => m.content[0])).toEqual(['3', '4', '5'])
  })

  it('a request trimmed to fit never starts with an answer: the answer whose prompt was dropped goes too', () => {
    const long = 'x'.repeat(2000)
    const history = [msg('user', `1${long}`), msg('assistant', `2${long}`), msg('user', `3${long}`), msg('assistant', `4${long}`), msg('user', '5 now')]
    // Room for everything but the first prompt: the cut lands on answer 2, which must not lead the request.
    const roomy: ModelRef = { ...model, contextWindow: 2100, maxOutputTokens: 500 }
    const request = buildRequest({ system: '', history, model: roomy })
    expect(request.messages.map((m) => m.content[0])).toEqual(['3', '4', '5'])
  })

  it('always keeps the newest user message, even when it alone is too long', () => {
    const huge = 'y'.repeat(100_000)
    const request = buildRequest({ system: '', history: [msg('user', 'old'), msg('assistant', 'a'), msg('user', huge)], model })
    expect(request.messages).toEqual([{ role: 'user', content: huge }])
  })
})

/** Reads history newest first as the session log does, stopping when `contextIsFull` says so. */
function boundedRead(history: readonly Message[], budget: number): Message[] {
  const newestFirst: Message[] = []
  for (let i = history.length - 1; i >= 0; i--) {
    newestFirst.push(history[i] as Message)
    if (contextIsFull(newestFirst, budget)) break
  }
  return newestFirst.reverse()
}

describe('contextIsFull (rule H4)', () => {
  it('H4: a read that stops when the context is full gives the same request as the whole chat', () => {
    let seed = 7
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31
    }
    const tight: ModelRef = { providerId: 'p', model: 'm', contextWindow: 400, maxOutputTokens: 100 }
    for (let round = 0; round < 2000; round++) {
      const history: Message[] = []
      const length = 1 + Math.floor(random() * 60)
      for (let i = 0; i < length; i++) {
        const role = random() < 0.55 ? 'user' : 'assistant'
        const text = random() < 0.15 ? (random() < 0.5 ? '' : '  ') : 'x'.repeat(Math.floor(random() * 200))
        // Some messages carry a file (an answer's are never sent, so they must not count).
        const files = random() < 0.1 ? [{ id: String(i).padStart(64, '0'), name: 'f.txt', mimeType: 'text/plain', size: Math.floor(random() * 600), kind: 'text' } as const] : []
        history.push(files.length > 0 ? { ...msg(role, text), attachments: files } : msg(role, text))
      }
      history.push(msg('user', 'x'.repeat(1 + Math.floor(random() * 100))))
      const system = random() < 0.5 ? 'Be brief.' : ''
      const budget = contextBudget({ system, model: tight })
      const read = boundedRead(history, budget)
      // Every file loaded, as a turn does before it builds its request.
      const attachments = new Map<string, LoadedAttachment>(history.flatMap((m) => m.attachments ?? []).map((ref) => [ref.id, { kind: 'text', ref, text: 'f' }]))
      expect(buildRequest({ system, history: read, model: tight, attachments })).toEqual(buildRequest({ system, history, model: tight, attachments }))
      // The running version the turn uses says the same after every message read.
      const fills = contextFills(budget)
      const newestFirst: Message[] = []
      for (let i = history.length - 1; i >= 0; i--) {
        newestFirst.push(history[i] as Message)
        expect(fills(newestFirst)).toBe(contextIsFull(newestFirst, budget))
      }
    }
  })

  it('H4: in a long chat it reads about as many messages as fit, not the chat', () => {
    const history: Message[] = []
    for (let i = 0; i < 10_000; i++) history.push(msg(i % 2 ? 'assistant' : 'user', 'y'.repeat(100)))
    history.push(msg('user', 'now'))
    const budget = contextBudget({ system: '', model })
    const read = boundedRead(history, budget)
    expect(read.length).toBeLessThan(Math.ceil(budget / estimateTokens('y'.repeat(100))) + 3)
    expect(buildRequest({ system: '', history: read, model })).toEqual(buildRequest({ system: '', history, model }))
  })
})

describe('turnOptions: a chat\'s own options over the settings (issue 10 item 3)', () => {
  const history = [msg('user', 'hi')]

  it('without options: the settings\' system prompt, the model\'s answer room, no temperature', () => {
    const request = buildRequest({ ...turnOptions({ systemPrompt: 'Default.' }, undefined, model), history })
    expect(request).toEqual({ model: 'm', system: 'Default.', maxTokens: 1024, messages: [{ role: 'user', content: 'hi' }] })
  })

  it('the chat\'s system prompt (even empty), max tokens and temperature replace the defaults', () => {
    const chat = { systemPrompt: 'Mine.', maxTokens: 50, temperature: 0 }
    expect(buildRequest({ ...turnOptions({ systemPrompt: 'Default.' }, chat, model), history })).toMatchObject({
      system: 'Mine.',
      maxTokens: 50,
      temperature: 0
    })
    const silent = buildRequest({ ...turnOptions({ systemPrompt: 'Default.' }, { systemPrompt: '' }, model), history })
    expect(silent).not.toHaveProperty('system')
  })

  it('the chat\'s max tokens also leave more of the context window for history', () => {
    const options = turnOptions({ systemPrompt: '' }, { maxTokens: 100 }, model)
    expect(contextBudget(options)).toBe(8192 - 100)
  })
})

describe('attachments in the context (issue 14, rules H1, H2)', () => {
  const image = (n: number): AttachmentRef => ({ id: n.toString(16).padStart(64, '0'), name: `p${n}.png`, mimeType: 'image/png', size: 100, kind: 'image' })
  const withFiles = (message: Message, refs: AttachmentRef[]): Message => ({ ...message, attachments: refs })
  const loaded = (refs: AttachmentRef[]): Map<string, LoadedAttachment> =>
    new Map(refs.map((ref) => [ref.id, { kind: 'image', ref, bytes: Buffer.from([1]) } as const]))

  it('a prompt with only attachments is a turn, and carries them; an answer never does', () => {
    const refs = [image(1)]
    const request = buildRequest({ system: '', history: [withFiles(msg('user', ''), refs)], model, attachments: loaded(refs) })
    expect(request.messages).toEqual([{ role: 'user', content: '', attachments: [{ kind: 'image', ref: refs[0], bytes: Buffer.from([1]) }] }])
  })

  it('H1: attachments count towards the context, so older turns are dropped, and it still starts with a user message', () => {
    const small: ModelRef = { ...model, contextWindow: 4000, maxOutputTokens: 500 }
    const refs = [image(1), image(2)]
    const history = [msg('user', 'old'), msg('assistant', 'old answer'), withFiles(msg('user', 'look at these'), refs)]
    // Two images are 3,200 of the 3,500 tokens the conversation may use; a longer old turn no longer fits beside them.
    expect(attachmentTokens(image(1))).toBe(1600)
    history[1] = msg('assistant', 'x'.repeat(1500))
    const request = buildRequest({ system: '', history, model: small, attachments: loaded(refs) })
    expect(request.messages.map((m) => m.content)).toEqual(['look at these'])
    expect(request.messages[0]?.role).toBe('user')
    // Without the images the old turn fits.
    expect(buildRequest({ system: '', history: history.map((m) => ({ ...m, attachments: [] })), model: small }).messages).toHaveLength(3)
  })

  it('H4: a read stops where the attachments fill the context, as buildRequest would cut', () => {
    const small: ModelRef = { ...model, contextWindow: 4000, maxOutputTokens: 500 }
    const history = [msg('user', 'older'), msg('assistant', 'x'), withFiles(msg('user', 'a'), [image(1), image(2), image(3)]), msg('assistant', 'y'), msg('user', 'new')]
    const budget = contextBudget({ system: '', model: small })
    const newestFirst = [...history].reverse()
    expect(contextIsFull(newestFirst.slice(0, 3), budget)).toBe(true)
    expect(messageTokens(history[2] as Message)).toBe(estimateTokens('a') + 3 * 1600)
  })
})
