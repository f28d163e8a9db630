// @vitest-environment happy-dom
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { cleanup, render } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { Icon, iconNames } from './icons'

afterEach(cleanup)

const rendererSource = join(__dirname, '..')

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return /\.tsx$/.test(entry.name) && !entry.name.endsWith('.test.tsx') ? [path] : []
  })
}

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
    const drawing = sourceFiles(rendererSource).filter((path) => readFileSync(path, 'utf8').includes('<svg'))
    expect(drawing.map((path) => relative(rendererSource, path))).toEqual([join('ui', 'icons.tsx')])
  })
})
