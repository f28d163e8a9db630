// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { rehearsedBoxes, rehearseLayout } from './layout-rehearsal'

const boxes = rehearsedBoxes('<span class="hljs-keyword">const</span> x', '<span class="katex"><math><mi>x</mi></math></span>')

afterEach(() => {
  document.body.innerHTML = ''
})

describe('rehearsedBoxes', () => {
  it('holds every kind of box a formatted answer has, with the code and the formula as their libraries wrote them', () => {
    expect(boxes.map((box) => box.kind)).toEqual(['text', 'code', 'table', 'formula'])
    const all = boxes.map((box) => box.html).join('')
    for (const element of ['<h2>', '<strong>', '<em>', '<code>', '<a ', '<ul>', '<ol>', '<blockquote>', '<table>', '<th>', '<td>']) {
      expect(all).toContain(element)
    }
    expect(boxes[1]?.html).toContain('<code class="hljs"><span class="hljs-keyword">const</span> x</code>')
    expect(boxes[3]?.html).toContain('<math><mi>x</mi></math>')
  })
})

describe('rehearseLayout', () => {
  it('lays each box out inside the markdown view, hidden from sight, readers and clicks, and takes it away again', async () => {
    const seen: { kind: string; html: string; hidden: string | null; inert: boolean; style: string; height: number }[] = []
    const read = vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockImplementation(function (this: HTMLElement) {
      const holder = this.parentElement
      if (holder?.parentElement === document.body) {
        seen.push({
          kind: holder.dataset['rehearsal'] ?? '',
          html: this.innerHTML,
          hidden: holder.getAttribute('aria-hidden'),
          inert: holder.inert,
          style: holder.style.cssText,
          height: 0
        })
      }
      return 0
    })
    document.body.innerHTML = '<main id="app">the window</main>'
    expect(await rehearseLayout(boxes, document, async () => undefined)).toBe(4)
    read.mockRestore()
    expect(seen.map((box) => box.kind)).toEqual(['text', 'code', 'table', 'formula'])
    for (const [index, box] of seen.entries()) {
      expect(box.html).toBe(`<div class="markdown">${boxes[index]?.html ?? ''}</div>`)
      expect(box.hidden).toBe('true')
      expect(box.inert).toBe(true)
      expect(box.style).toContain('visibility: hidden')
      expect(box.style).toContain('pointer-events: none')
      expect(box.style).toContain('position: fixed')
    }
    // Nothing of it is left in the page.
    expect(document.body.innerHTML).toBe('<main id="app">the window</main>')
  })

  it('gives the browser its turn between the boxes, so no one task lays them all out', async () => {
    const order: string[] = []
    const read = vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockImplementation(function (this: HTMLElement) {
      order.push(`layout ${this.parentElement?.dataset['rehearsal'] ?? ''}`)
      return 0
    })
    await rehearseLayout(boxes, document, async () => {
      order.push('pause')
    })
    read.mockRestore()
    expect(order).toEqual(['layout text', 'pause', 'layout code', 'pause', 'layout table', 'pause', 'layout formula'])
  })

  it('takes a box away even when laying it out throws, and does nothing without a document', async () => {
    const read = vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockImplementation(() => {
      throw new Error('layout failed')
    })
    await expect(rehearseLayout(boxes, document, async () => undefined)).rejects.toThrow('layout failed')
    read.mockRestore()
    expect(document.body.children).toHaveLength(0)
    expect(await rehearseLayout(boxes, null)).toBe(0)
  })
})
