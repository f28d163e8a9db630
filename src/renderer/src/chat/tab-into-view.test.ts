import { describe, expect, it } from 'vitest'
import { stopInView, type Span } from './tab-into-view'

const stops: Array<{ name: string; span: Span }> = [
  { name: 'drawn above', span: { top: -300, bottom: -280 } },
  { name: 'cut at the top', span: { top: 40, bottom: 60 } },
  { name: 'first shown', span: { top: 120, bottom: 140 } },
  { name: 'last shown', span: { top: 600, bottom: 620 } },
  { name: 'cut at the bottom', span: { top: 690, bottom: 710 } },
  { name: 'drawn below', span: { top: 1100, bottom: 1120 } },
  { name: 'not drawn', span: { top: 0, bottom: 0 } }
]
const view: Span = { top: 50, bottom: 700 }
const spanOf = (stop: { span: Span }): Span => stop.span

describe('stopInView', () => {
  it('coming down, the first control wholly in view; coming up, the last', () => {
    expect(stopInView(stops, spanOf, view, 1)?.name).toBe('first shown')
    expect(stopInView(stops, spanOf, view, -1)?.name).toBe('last shown')
  })

  it('none when nothing to press is in view (the middle of a long answer)', () => {
    expect(stopInView(stops, spanOf, { top: 200, bottom: 500 }, 1)).toBeUndefined()
    expect(stopInView([], spanOf, view, -1)).toBeUndefined()
  })
})
