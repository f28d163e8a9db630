// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { Icon, iconNames } from './icons'

afterEach(cleanup)

/** The renderer's components, as written (tests left out: this one names `<svg` itself). */
const components: Record<string, string> = import.meta.glob(['../**/*.tsx', '!../**/*.test.tsx'], {
  query: '?raw',
  import: 'default',
  eager: true
})

describe('icons', () => {
  it.each(iconNames)('draws %s in the text colour, hidden from screen readers, at the size asked', (name) => {
    const { container } = render(<Icon name={name} size="small" />)
    const svg = container.querySelector('svg')
    expect(svg?.getAttribute('aria-hidden')).toBe('true')
    expect(svg?.getAttribute('stroke')).toBe('currentColor')
    expect(svg?.getAttribute('width')).toBe('12')
    expect(svg?.childElementCount).toBeGreaterThan(0)
  })

  it('is the only place in the renderer that draws an inline SVG', () => {
    expect(Object.keys(components).length).toBeGreaterThan(20)
    const drawing = Object.entries(components).filter(([, text]) => text.includes('<svg'))
    expect(drawing.map(([path]) => path)).toEqual(['./icons.tsx'])
  })
})
