import { describe, expect, it } from 'vitest'
import { takeToken, tokenStorageKey, type TokenPlace } from './token'

function place(hash: string, stored?: string): TokenPlace & { cleared: boolean; saved: Map<string, string> } {
  const saved = new Map<string, string>(stored ? [[tokenStorageKey, stored]] : [])
  const result = {
    hash,
    cleared: false,
    saved,
    storage: {
      getItem: (key: string) => saved.get(key) ?? null,
      setItem: (key: string, value: string) => void saved.set(key, value)
    },
    clearHash: () => {
      result.cleared = true
    }
  }
  return result
}

describe('the browser-mode token', () => {
  it('comes from #token=…, is kept for reloads, and is wiped from the address bar', () => {
    const here = place('#token=abc123abc123abc123')
    expect(takeToken(here)).toBe('abc123abc123abc123')
    expect(here.saved.get(tokenStorageKey)).toBe('abc123abc123abc123')
    expect(here.cleared).toBe(true)
  })

  it('after a reload, comes from the tab\'s storage; a new address wins over a stored token', () => {
    expect(takeToken(place('', 'kept-kept-kept-kept'))).toBe('kept-kept-kept-kept')
    expect(takeToken(place('#token=new-new-new-new-new', 'kept-kept-kept-kept'))).toBe('new-new-new-new-new')
  })

  it('is missing when neither has it', () => {
    expect(takeToken(place(''))).toBeUndefined()
    expect(takeToken(place('#token='))).toBeUndefined()
    expect(takeToken(place('#other=1'))).toBeUndefined()
    // Not something the server printed: no WebSocket subprotocol could carry it.
    expect(takeToken(place('#token=has spaces in it and more'))).toBeUndefined()
    expect(takeToken(place('#token=short'))).toBeUndefined()
    expect(takeToken({ hash: '', storage: undefined, clearHash: () => {} })).toBeUndefined()
  })
})
