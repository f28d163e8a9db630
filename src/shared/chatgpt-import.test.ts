import { describe, expect, it } from 'vitest'
import { archivedBranch, readArchive, type ArchivedChat } from './chat-archive'
import { looksLikeChatGpt, readChatGptExport } from './chatgpt-import'
import { messageText } from './message'
import fixtureFile from '../../e2e/fixtures/imports/chatgpt-conversations.json'

const fixture: unknown = fixtureFile

function chatsOf(value: unknown): ArchivedChat[] {
  const reading = readChatGptExport(value, 7)
  if (!reading.ok) throw new Error(reading.problems.join('\n'))
  return reading.archive.chats
}

const id = (node: string): string => `chatgpt-6a1f0c2e-0000-4000-8000-000000000001-${node}`

describe('readChatGptExport', () => {
  it('is told apart from a Parley archive by its shape', () => {
    expect(looksLikeChatGpt(fixture)).toBe(true)
    expect(looksLikeChatGpt({ format: 'parley.chats', version: 1, chats: [] })).toBe(false)
    expect(looksLikeChatGpt([1, 2])).toBe(false)
  })

  it('reads an empty conversations.json ([]) as an export with no chats, not as a damaged file', () => {
    expect(looksLikeChatGpt([])).toBe(true)
    expect(chatsOf([])).toEqual([])
  })

  it('keeps the conversation, its title and times, in a valid archive', () => {
    const reading = readChatGptExport(fixture, 7)
    expect(reading.ok && readArchive(reading.archive).ok).toBe(true)
    const [chat, empty] = chatsOf(fixture)
    expect(chat).toMatchObject({ id: 'chatgpt-6a1f0c2e-0000-4000-8000-000000000001', title: 'Sourdough help', titleSource: 'user' })
    expect(chat!.createdAt).toBe(1714000000500)
    expect(chat!.updatedAt).toBe(1714000600250)
    expect(empty).toMatchObject({ title: 'Empty', leafId: null, messages: [] })
  })

  it('leaves out system, hidden, tool and tool-call messages, and hangs their children on the nearest one kept', () => {
    const [chat] = chatsOf(fixture)
    expect(chat!.messages.map((m) => m.id)).toEqual([id('node-u1'), id('node-a1'), id('node-u2'), id('node-a2old'), id('node-u2b'), id('node-a2')])
    expect(chat!.messages[0]!.parentId).toBeNull()
    expect(chat!.messages.find((m) => m.id === id('node-a2'))?.parentId).toBe(id('node-u2b'))
  })

  it('keeps both branches of an edit, and shows the current one', () => {
    const [chat] = chatsOf(fixture)
    const siblings = chat!.messages.filter((m) => m.parentId === id('node-a1')).map((m) => m.id)
    expect(siblings).toEqual([id('node-u2'), id('node-u2b')])
    expect(chat!.leafId).toBe(id('node-a2'))
    expect(archivedBranch(chat!).map((m) => messageText(m))).toEqual([
      'My sourdough starter smells like nail polish. Is it dead?',
      'Not dead: hungry. That acetone smell means it needs feeding more often.',
      '[image not imported]\n\nHere is a photo of it. How often should I feed it in a warm kitchen?',
      'In a warm kitchen, feed it twice a day: morning and evening.'
    ])
  })

  it('gives the same ids every time, so a second import finds them', () => {
    expect(chatsOf(fixture)).toEqual(chatsOf(JSON.parse(JSON.stringify(fixture))))
  })

  it('survives a loop of parents and a current node that is missing', () => {
    const looped = [
      {
        conversation_id: 'loop',
        current_node: 'missing',
        mapping: {
          a: { id: 'a', parent: 'b', message: { author: { role: 'user' }, content: { content_type: 'text', parts: ['hi'] }, create_time: 1 } },
          b: { id: 'b', parent: 'a', message: { author: { role: 'assistant' }, content: { content_type: 'text', parts: ['yo'] }, create_time: 2 } }
        }
      }
    ]
    const [chat] = chatsOf(looped)
    expect(chat!.messages).toHaveLength(2)
    expect(chat!.messages[0]!.parentId).toBeNull()
    expect(chat!.leafId).toBe(chat!.messages[1]!.id)
  })

  it('names what is wrong in a file that is not an export', () => {
    const reading = readChatGptExport([{ title: 'x', mapping: 'nope' }])
    expect(reading.ok ? [] : reading.problems).toEqual([expect.stringMatching(/^\[0\]\.mapping: /)])
  })
})
