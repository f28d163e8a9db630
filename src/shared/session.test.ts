import { describe, expect, it } from 'vitest'
import { patchedOptions, sessionSchema } from './session'

describe('patchedOptions: set, clear (null), keep (absent)', () => {
  it('applies each of the three meanings', () => {
    const current = { temperature: 0.5, maxTokens: 10, systemPrompt: 'x' }
    expect(patchedOptions(current, { temperature: 1, maxTokens: null })).toEqual({ temperature: 1, systemPrompt: 'x' })
    expect(patchedOptions(undefined, { model: { providerId: 'p', model: 'm' } })).toEqual({ model: { providerId: 'p', model: 'm' } })
    expect(current).toEqual({ temperature: 0.5, maxTokens: 10, systemPrompt: 'x' })
  })
})

describe('sessionSchema: compatible both ways', () => {
  it('reads a session saved before options existed, and drops an option field a newer Parley wrote', () => {
    const old = { id: 's', title: null, createdAt: 1, updatedAt: 2 }
    expect(sessionSchema.parse(old)).toEqual(old)
    expect(sessionSchema.parse({ ...old, options: { temperature: 1, topK: 5 } }).options).toEqual({ temperature: 1 })
  })
})
