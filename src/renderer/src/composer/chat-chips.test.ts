import { describe, expect, it } from 'vitest'
import type { AttachmentChip } from '../attachments/chip-list'
import { chatChips, noChat, type ChatChips } from './chat-chips'

const chip = (key: string): AttachmentChip => ({ key, name: `${key}.txt`, size: 1, kind: 'text', thumbnail: null, state: { phase: 'reading', fraction: 0 } })
const keys = (chats: ChatChips): Record<string, string[]> => Object.fromEntries([...chats].map(([chat, list]) => [chat, list.map((each) => `${each.key}:${each.state.phase}`)]))

describe('chatChips (the composer\'s attachments, per chat)', () => {
  it('adds, clears and restores in the chat named, and leaves the others be', () => {
    let chats: ChatChips = new Map()
    chats = chatChips(chats, { chat: 'a', action: { type: 'added', chips: [chip('1')] } })
    chats = chatChips(chats, { chat: 'b', action: { type: 'added', chips: [chip('2')] } })
    expect(keys(chats)).toEqual({ a: ['1:reading'], b: ['2:reading'] })
    const cleared = chatChips(chats, { chat: 'a', action: { type: 'cleared' } })
    // A chat with no chips left holds no entry.
    expect(keys(cleared)).toEqual({ b: ['2:reading'] })
    expect(keys(chatChips(cleared, { chat: 'a', action: { type: 'restored', chips: [chip('1')] } }))).toEqual({ a: ['1:reading'], b: ['2:reading'] })
  })

  it('takes a file that arrives after the person switched chats to the chat it was attached in, whatever chat is shown', () => {
    let chats: ChatChips = new Map([['a', [chip('1')]]])
    const ref = { id: 'x', name: '1.txt', size: 1, kind: 'text' as const, mimeType: 'text/plain' }
    chats = chatChips(chats, { chat: 'b', action: { type: 'attached', key: '1', ref } })
    expect(keys(chats)).toEqual({ a: ['1:attached'] })
    chats = chatChips(chats, { chat: 'b', action: { type: 'removed', key: '1' } })
    expect(keys(chats)).toEqual({})
    // An answer for a chip no chat holds any more (removed while on its way) changes nothing.
    expect(chatChips(chats, { chat: 'b', action: { type: 'refused', key: '1', error: 'gone' } })).toBe(chats)
  })

  it('moves the chips of the box with no chat to the chat made for them, after any it has', () => {
    const chats: ChatChips = new Map([
      [noChat, [chip('new')]],
      ['made', [chip('old')]]
    ])
    expect(keys(chatChips(chats, { moved: { to: 'made' } }))).toEqual({ made: ['old:reading', 'new:reading'] })
    const none: ChatChips = new Map([['made', [chip('old')]]])
    expect(chatChips(none, { moved: { to: 'made' } })).toBe(none)
  })
})
