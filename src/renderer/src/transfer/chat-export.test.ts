import { afterEach, describe, expect, it } from 'vitest'
import { readArchive, type Message } from '../../../shared'
import { freshDatabase } from '../testing/history-fixtures'
import type { ParleyDatabase } from '../db/schema'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { allChatsFileName, chatArchiveBlob, chatMessages, exportAllChats, exportChat, fileNameFor } from './chat-export'

const dbs: ParleyDatabase[] = []
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete()
})

function row(id: string, parentId: string | null | undefined, createdAt: number, createdSeq: number, status: Message['status'] = 'finished') {
  const message: Message = {
    id,
    sessionId: 's1',
    runId: `r-${id}`,
    role: createdSeq % 2 === 1 ? 'user' : 'assistant',
    parts: [{ type: 'text', text: `text of ${id}` }],
    status,
    createdAt,
    ...(parentId === undefined ? {} : { parentId })
  }
  return { ...message, seq: createdSeq, createdSeq }
}

async function seeded(): Promise<ParleyDatabase> {
  const db = freshDatabase()
  dbs.push(db)
  await db.sessions.put({ id: 's1', title: 'Bread', titleSource: 'user', createdAt: 1, updatedAt: 9, seq: 1, leafId: 'a2' })
  await db.sessions.put({ id: 's2', title: null, createdAt: 2, updatedAt: 3, seq: 2 })
  // u1 → a1 → u2 → a2, and a retry a1b beside a1; a2 and a1b share a millisecond.
  await db.messages.bulkPut([row('u1', null, 10, 1), row('a1', 'u1', 20, 2), row('u2', 'a1', 30, 3), row('a2', 'u2', 40, 4), row('a1b', 'u1', 40, 6)])
  return db
}

describe('chatMessages', () => {
  it('reads every message in pages, ties on createdAt neither lost nor repeated', async () => {
    const db = await seeded()
    for (const size of [1, 2, 3, 500]) {
      const ids = (await chatMessages(db, 's1', size)).map((m) => m.id)
      expect(ids.sort()).toEqual(['a1', 'a1b', 'a2', 'u1', 'u2'])
    }
  })

  it('reads a chat with more messages in one millisecond than a page holds', async () => {
    const db = freshDatabase()
    dbs.push(db)
    await db.messages.bulkPut(Array.from({ length: 7 }, (_, index) => row(`m${index}`, null, 5, index + 1)))
    expect((await chatMessages(db, 's1', 2)).map((m) => m.id).sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6'])
  })
})

describe('exportChat and exportAllChats', () => {
  it('exports the whole tree and the leaf shown, a valid archive', async () => {
    const db = await seeded()
    const chat = await exportChat(db, 's1')
    expect(chat?.leafId).toBe('a2')
    expect(chat?.messages.map((m) => m.id)).toEqual(['u1', 'a1', 'u2', 'a2', 'a1b'])
    expect(chat?.messages.find((m) => m.id === 'a1b')?.parentId).toBe('u1')
    expect(await exportChat(db, 'nope')).toBeUndefined()
  })

  it('writes every chat but those being deleted into one archive that reads back', async () => {
    const db = await seeded()
    const progress: number[] = []
    const blob = await exportAllChats(db, new FakeParleyApi(), { now: 77, onProgress: ({ done }) => progress.push(done) })
    const reading = readArchive(JSON.parse(await blob.text()))
    expect(reading.ok && reading.archive.chats.map((chat) => chat.id)).toEqual(['s2', 's1'])
    expect(reading.ok && reading.archive.exportedAt).toBe(77)
    // No files: version 1, which every Parley reads.
    expect(reading.ok && reading.archive.version).toBe(1)
    expect(progress).toEqual([1, 2])
    const without = readArchive(JSON.parse(await (await exportAllChats(db, new FakeParleyApi(), { leaving: new Set(['s1']) })).text()))
    expect(without.ok && without.archive.chats.map((chat) => chat.id)).toEqual(['s2'])
  })
})

describe('file names', () => {
  it('come from the title', () => {
    expect(fileNameFor('Bread: how often?', 'md')).toBe('bread-how-often.md')
    expect(fileNameFor(null, 'json')).toBe('chat.json')
    expect(allChatsFileName(new Date(2026, 11, 2))).toBe('parley-chats-2026-12-02.json')
  })

  it('carries the files its messages use, once each, read from main; a file main no longer holds is left out with its refs', async () => {
    const db = await seeded()
    const api = new FakeParleyApi()
    const kept = (await api.putAttachment({ name: 'cat.png', mimeType: 'image/png', dataBase64: btoa('png bytes') })).ref
    const gone = { ...kept, id: 'd'.repeat(64), name: 'gone.txt' }
    const u1 = await db.messages.get('u1')
    const u2 = await db.messages.get('u2')
    if (!u1 || !u2) throw new Error('seeded rows missing')
    await db.messages.bulkPut([{ ...u1, attachments: [kept, gone] }, { ...u2, attachments: [kept] }])

    const reading = readArchive(JSON.parse(await (await exportAllChats(db, api)).text()))
    if (!reading.ok) throw new Error(reading.problems.join('\n'))
    expect(reading.archive.version).toBe(2)
    expect(reading.archive.attachments).toEqual([{ id: kept.id, name: 'cat.png', mimeType: 'image/png', dataBase64: btoa('png bytes') }])
    const messages = reading.archive.chats.find((chat) => chat.id === 's1')?.messages ?? []
    expect(messages.find((m) => m.id === 'u1')?.attachments).toEqual([kept])
    expect(api.calls.filter((call) => call.method === 'readAttachmentPart').map((call) => call.args[0])).toEqual([kept.id, gone.id])

    const chat = await exportChat(db, 's1')
    if (!chat) throw new Error('no chat')
    const one = readArchive(JSON.parse(await (await chatArchiveBlob(chat, api)).text()))
    expect(one.ok && one.archive.attachments?.map((file) => file.id)).toEqual([kept.id])
  })
})
