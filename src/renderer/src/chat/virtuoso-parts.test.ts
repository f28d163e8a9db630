// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { measuredByList, virtuosoParts } from './virtuoso-parts'

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

  it('says whether Virtuoso has measured the rows it drew at their size now (its item list as tall as it reckons)', () => {
    const items = document.createElement('div')
    items.style.paddingTop = '1000px'
    items.style.paddingBottom = '250px'
    const row = (known: string | undefined, height: number): HTMLElement => {
      const element = document.createElement('div')
      if (known !== undefined) element.dataset['knownSize'] = known
      Object.defineProperty(element, 'offsetHeight', { value: height })
      items.append(element)
      return element
    }
    row('112', 112)
    row('384', 900)
    let height = 1000 + 250 + 112 + 900
    Object.defineProperty(items, 'offsetHeight', { get: () => height })
    // The answer grew to 900 px; Virtuoso still reckons 384.
    expect(measuredByList(items)).toBe(false)
    height = 1000 + 250 + 112 + 384
    expect(measuredByList(items)).toBe(true)
    // A row without a known size yet (a placeholder) counts as drawn.
    row(undefined, 60)
    expect(measuredByList(items)).toBe(false)
    height += 60
    expect(measuredByList(items)).toBe(true)
  })
})
