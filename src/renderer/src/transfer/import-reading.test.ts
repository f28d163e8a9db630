import { describe, expect, it } from 'vitest'
import { archiveOf } from '../../../shared/testing/archive-fixtures'
import { importBatchChars } from './chat-import'
import { ImportReplies, importWorkerReplies, readForImport, readImport } from './import-reading'
import chatGpt from '../../../../e2e/fixtures/imports/chatgpt-conversations.json'

describe('reading a file for import (what the import worker does)', () => {
  it("cuts a Parley archive into calls of about 1 MB, stamped with this Parley's version; a ChatGPT export too", () => {
    const reading = readForImport(JSON.stringify(archiveOf(5, 'x'.repeat(importBatchChars / 2))))
    if (!reading.ok) throw new Error(reading.problems.join('\n'))
    expect(reading).toMatchObject({ source: 'parley', chats: 5 })
    expect(reading.batches).toHaveLength(5)
    expect(reading.batches[0]).toMatchObject({ format: 'parley.chats', version: 2, chats: [{ id: 'c0' }] })
    expect(readForImport(JSON.stringify(chatGpt))).toMatchObject({ ok: true, source: 'chatgpt', batches: [expect.anything()] })
  })

  it('refuses a bad file with its problems, before anything is sent', () => {
    expect(readForImport('# notes')).toMatchObject({ ok: false, problems: [expect.stringMatching(/^The file is not JSON/)] })
  })

  it("comes back from the worker as the same reading, a batch a message; its refusal and a stranger's reply refuse", () => {
    const reading = readForImport(JSON.stringify(archiveOf(3, 'x'.repeat(importBatchChars / 2))))
    const replies = importWorkerReplies(reading)
    expect(replies.map((reply) => reply.kind)).toEqual(['read', 'batch', 'batch', 'batch'])
    const collect = new ImportReplies()
    const seen = replies.map((reply) => collect.take(structuredClone(reply)))
    expect(seen.slice(0, -1)).toEqual([undefined, undefined, undefined])
    expect(seen.at(-1)).toEqual(reading)
    expect(new ImportReplies().take(importWorkerReplies(readForImport('nope'))[0])).toMatchObject({ ok: false, problems: [expect.stringMatching(/not JSON/)] })
    expect(new ImportReplies().take({ kind: 'read', source: 'elsewhere', chats: 1, batches: 1 })).toMatchObject({ ok: false })
    expect(new ImportReplies().take('garbage')).toMatchObject({ ok: false, problems: [expect.stringMatching(/could not be read/)] })
  })

  it('reads in the window itself where there are no workers', async () => {
    const file = new File([JSON.stringify(archiveOf(2))], 'chats.json', { type: 'application/json' })
    expect(await readImport(file)).toMatchObject({ ok: true, source: 'parley', chats: 2 })
  })
})
