import { describe, expect, it } from 'vitest'
import { archiveOf } from '../../../shared/testing/archive-fixtures'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { importArchive, importBatches, importingText, importSummary, notAnExport, readImportFile } from './chat-import'
import chatGpt from '../../../../e2e/fixtures/imports/chatgpt-conversations.json'

describe('readImportFile', () => {
  it('says a file that is not JSON is not JSON', () => {
    const reading = readImportFile('# My notes\n')
    expect(reading.ok ? [] : reading.problems).toEqual([expect.stringMatching(/^The file is not JSON/)])
  })

  it('tells a Parley archive from a ChatGPT export by its shape', () => {
    expect(readImportFile(JSON.stringify(archiveOf(1)))).toMatchObject({ ok: true, source: 'parley' })
    expect(readImportFile(JSON.stringify(chatGpt))).toMatchObject({ ok: true, source: 'chatgpt' })
  })

  it('reads an empty ChatGPT conversations.json ([]) as a file with no chats, not a damaged one', () => {
    expect(readImportFile('[]')).toMatchObject({ ok: true, source: 'chatgpt', archive: { chats: [] } })
  })

  it('says in one sentence that some other JSON is neither export, not in the archive schema\'s words', () => {
    for (const other of ['{"hello": 1}', '[1, 2]', '"text"', 'null', '{"format": "something.else", "chats": []}']) {
      const reading = readImportFile(other)
      expect(reading.ok ? [] : reading.problems).toEqual([notAnExport])
    }
    expect(notAnExport).not.toMatch(/Invalid input|expected|received/)
  })

  it('names the problems of a damaged archive with their place', () => {
    const damaged = archiveOf(2)
    damaged.chats[1]!.leafId = 'gone'
    const reading = readImportFile(JSON.stringify(damaged))
    expect(reading.ok ? [] : reading.problems).toEqual(['chats[1].leafId: leaf gone is not a message of this chat'])
  })
})

describe('importArchive', () => {
  it('sends a small file in one call and adds up what main did', async () => {
    const api = new FakeParleyApi()
    api.importAnswer = async () => ({ imported: 2, skipped: 1, messages: 7 })
    expect(await importArchive(api, archiveOf(3))).toEqual({ imported: 2, skipped: 1, messages: 7 })
    expect(api.calls.filter((call) => call.method === 'importChats')).toHaveLength(1)
  })

  it('splits a large file into batches under the limit, every chat once, in order', () => {
    const archive = archiveOf(10, 'x'.repeat(1000))
    const batches = importBatches(archive, 3000)
    expect(batches.length).toBeGreaterThan(3)
    expect(batches.flatMap((batch) => batch.chats.map((chat) => chat.id))).toEqual(archive.chats.map((chat) => chat.id))
    expect(batches.every((batch) => batch.chats.length > 0 && batch.format === 'parley.chats')).toBe(true)
  })
})

describe('importingText', () => {
  it('counts the chats under way in words: one chat, or several chats', () => {
    expect(importingText(1, 'parley')).toBe('Importing 1 chat (Parley export)…')
    expect(importingText(3, 'chatgpt')).toBe('Importing 3 chats (ChatGPT export)…')
  })
})

describe('importSummary', () => {
  it('says what was imported and what was already here', () => {
    expect(importSummary({ imported: 3, skipped: 1, messages: 120 })).toBe('Imported 3 chats (120 messages); 1 was already here.')
    expect(importSummary({ imported: 1, skipped: 0, messages: 1 })).toBe('Imported 1 chat (1 message).')
    expect(importSummary({ imported: 0, skipped: 2, messages: 0 })).toBe('Nothing new: all 2 chats were already here.')
    expect(importSummary({ imported: 0, skipped: 0, messages: 0 })).toBe('The file has no chats: nothing was imported.')
  })
})
