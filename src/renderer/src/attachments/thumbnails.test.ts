import { describe, expect, it } from 'vitest'
import type { AttachmentRef } from '../../../shared'
import { freshDatabase } from '../testing/history-fixtures'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { Thumbnails } from './thumbnails'

const image = (id: string): AttachmentRef => ({ id, name: 'cat.png', mimeType: 'image/png', size: 3, kind: 'image' })

describe('Thumbnails', () => {
  it('answers a kept thumbnail from Dexie without asking main', async () => {
    const db = await freshDatabase()
    const api = new FakeParleyApi()
    const thumbnails = new Thumbnails(db, () => Promise.reject(new Error('not made')))
    await thumbnails.keep('a'.repeat(64), 'data:kept')
    expect(await thumbnails.get(image('a'.repeat(64)))).toBe('data:kept')
    expect(api.calls).toEqual([])
  })

  it('makes a missing one once from main’s bytes, keeps it, and shares concurrent asks', async () => {
    const db = await freshDatabase()
    const api = new FakeParleyApi()
    const ref = (await api.putAttachment({ name: 'cat.png', mimeType: 'image/png', dataBase64: btoa('png') })).ref
    let made = 0
    const thumbnails = new Thumbnails(db, async (image) => {
      made += 1
      const data = await api.readAttachment(image.id)
      return `data:made-from-${atob(data.dataBase64)}`
    })
    const [a, b] = await Promise.all([thumbnails.get(ref), thumbnails.get(ref)])
    expect([a, b]).toEqual(['data:made-from-png', 'data:made-from-png'])
    expect(made).toBe(1)
    expect((await db.thumbnails.get(ref.id))?.dataUrl).toBe('data:made-from-png')
  })

  it('has none for a file that is not an image, or an image main no longer holds', async () => {
    const db = await freshDatabase()
    const api = new FakeParleyApi()
    const thumbnails = new Thumbnails(db, async (image) => {
      await api.readAttachment(image.id)
      return 'data:x'
    })
    expect(await thumbnails.get({ ...image('b'.repeat(64)), kind: 'pdf' })).toBeNull()
    expect(await thumbnails.get(image('c'.repeat(64)))).toBeNull()
  })
})
