import { describe, expect, it } from 'vitest'
import { ParleyError, type ArchivedChat, type AttachmentRef } from '../../../shared'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { ArchiveFiles } from './archive-files'

const chatWith = (...refs: AttachmentRef[][]): ArchivedChat => ({
  id: 'c1',
  title: null,
  createdAt: 1,
  updatedAt: 1,
  leafId: null,
  messages: refs.map((attachments, i) => ({ id: `u${i}`, parentId: null, role: 'user', parts: [], createdAt: i, attachments }))
})

describe('ArchiveFiles', () => {
  it('reads each file once across chats, in the order first used', async () => {
    const api = new FakeParleyApi()
    const a = (await api.putAttachment({ name: 'a.txt', mimeType: 'text/plain', dataBase64: btoa('a') })).ref
    const b = (await api.putAttachment({ name: 'b.txt', mimeType: 'text/plain', dataBase64: btoa('b') })).ref
    const files = new ArchiveFiles(api)
    await files.take(chatWith([a, b], [a]))
    await files.take(chatWith([b]))
    expect(files.entries().map((entry) => (JSON.parse(entry) as { name: string }).name)).toEqual(['a.txt', 'b.txt'])
    expect(api.calls.filter((call) => call.method === 'readAttachmentPart')).toHaveLength(2)
  })

  it('stops the export on any failure but a file main no longer holds', async () => {
    const api = new FakeParleyApi()
    const a = (await api.putAttachment({ name: 'a.txt', mimeType: 'text/plain', dataBase64: btoa('a') })).ref
    api.readAttachmentPart = () => Promise.reject(new ParleyError('Disconnected', 'Parley is not connected.'))
    await expect(new ArchiveFiles(api).take(chatWith([a]))).rejects.toThrow('Parley is not connected.')
  })
})
