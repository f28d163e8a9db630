import { describe, expect, it } from 'vitest'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { freshDatabase } from '../testing/history-fixtures'
import { modelOfChat } from './chat-model'

describe('modelOfChat', () => {
  it("is the chat's own model, else the settings' default (what the vision check asks about)", async () => {
    const api = new FakeParleyApi()
    const db = freshDatabase()
    const settings = await api.getSettings()
    const provider = settings.providers[0]
    if (!provider) throw new Error('the default settings have a provider')
    await db.sessions.put({ id: 'own', title: null, createdAt: 1, updatedAt: 1, seq: 1, options: { model: { providerId: provider.id, model: 'llava' } } })
    await db.sessions.put({ id: 'plain', title: null, createdAt: 1, updatedAt: 1, seq: 2 })
    expect(await modelOfChat({ api, db }, 'own')).toEqual({ providerId: provider.id, model: 'llava' })
    expect((await modelOfChat({ api, db }, 'plain')).model).toBe(settings.models.large.model)
    expect((await modelOfChat({ api, db }, undefined)).model).toBe(settings.models.large.model)
  })
})
