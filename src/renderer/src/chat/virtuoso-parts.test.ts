// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { virtuosoParts } from './virtuoso-parts'

describe('virtuosoParts', () => {
  it("finds Virtuoso's scroller and item list in a frame, and nothing before both are there", () => {
    const frame = document.createElement('div')
    expect(virtuosoParts(frame)).toBeUndefined()
    expect(virtuosoParts(null)).toBeUndefined()
    frame.innerHTML = '<div data-testid="virtuoso-scroller"><div><div data-testid="virtuoso-item-list"></div></div></div>'
    const parts = virtuosoParts(frame)
    expect(parts?.scroller.getAttribute('data-testid')).toBe('virtuoso-scroller')
    expect(parts?.items.getAttribute('data-testid')).toBe('virtuoso-item-list')
    frame.querySelector('[data-testid="virtuoso-item-list"]')?.remove()
    expect(virtuosoParts(frame)).toBeUndefined()
  })
})
