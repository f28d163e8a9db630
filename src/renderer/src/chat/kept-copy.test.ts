// @vitest-environment happy-dom
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { copyFromKept, keptCodeOf } from './kept-copy'
import { CodeBlock } from './markdown/CodeBlock'
import { CODE_SHOWN_LINES } from './markdown/limits'

afterEach(() => {
  vi.useRealTimers()
  document.body.innerHTML = ''
})

/** A code block as a kept screen holds it: the stack's own HTML, put back with innerHTML (no handlers). */
function keptBlock(code: string): HTMLElement {
  const answer = document.body.appendChild(document.createElement('div'))
  answer.innerHTML = renderToStaticMarkup(createElement(CodeBlock, { code, language: 'ts', open: false }))
  return answer
}

const button = (answer: HTMLElement): HTMLElement => {
  const found = answer.querySelector<HTMLElement>('[data-testid="copy-code"]')
  if (!found) throw new Error('no Copy button')
  return found
}

describe('Copy in a kept answer', () => {
  it('puts the block’s whole code on the clipboard, says "Copied" for a moment, then "Copy" again', async () => {
    vi.useFakeTimers()
    const code = 'export function f(x: number): string {\n  return String(x * 2) // <b>&amp;</b>\n}'
    const answer = keptBlock(code)
    const writeText = vi.fn(() => Promise.resolve())
    // A click on the label's text, inside the button.
    copyFromKept(button(answer).firstChild, { writeText })
    expect(writeText).toHaveBeenCalledWith(code)
    await vi.advanceTimersByTimeAsync(0)
    expect(button(answer).textContent).toBe('Copied')
    expect(button(answer).dataset['copied']).toBe('true')
    // Clicked again meanwhile: back to its own label after, not to "Copied".
    copyFromKept(button(answer), { writeText })
    await vi.advanceTimersByTimeAsync(2_000)
    expect(button(answer).textContent).toBe('Copy')
    expect(button(answer).dataset['copied']).toBe('false')
  })

  it('says when the clipboard refuses', async () => {
    const answer = keptBlock('const x = 1')
    copyFromKept(button(answer), { writeText: () => Promise.reject(new Error('denied')) })
    await vi.waitFor(() => expect(button(answer).textContent).toBe('Could not copy'))
  })

  it('leaves a block that shows its first lines only to the stack (its drawn code is not the whole), and clicks elsewhere', () => {
    const long = Array.from({ length: CODE_SHOWN_LINES + 5 }, (_, line) => `line ${line}`).join('\n')
    const answer = keptBlock(long)
    expect(answer.querySelector('[data-testid="show-all"]')).not.toBeNull()
    expect(keptCodeOf(button(answer))).toBeUndefined()
    const writeText = vi.fn(() => Promise.resolve())
    copyFromKept(button(answer), { writeText })
    copyFromKept(answer.querySelector('pre'), { writeText })
    expect(writeText).not.toHaveBeenCalled()
  })
})
