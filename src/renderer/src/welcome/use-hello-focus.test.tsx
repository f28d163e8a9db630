// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react'
import type { JSX } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import type { WelcomeState } from './first-answer'
import { useHelloFocus } from './use-hello-focus'

afterEach(cleanup)

function Hello(props: { step: WelcomeState['step'] }): JSX.Element {
  const { section, hello } = useHelloFocus(props.step)
  return (
    <section ref={section}>
      <button type="button" ref={hello}>
        Say hello
      </button>
    </section>
  )
}

describe('useHelloFocus', () => {
  it('gives "Say hello" the focus once ready', () => {
    const drawn = render(<Hello step="checking" />)
    expect(document.activeElement).toBe(document.body)
    drawn.rerender(<Hello step="ready" />)
    expect(document.activeElement?.textContent).toBe('Say hello')
  })

  it('leaves the focus where the person put it meanwhile (the chat filter; focus-claim.ts)', () => {
    const elsewhere = document.body.appendChild(document.createElement('input'))
    const drawn = render(<Hello step="checking" />)
    elsewhere.focus()
    drawn.rerender(<Hello step="ready" />)
    expect(document.activeElement).toBe(elsewhere)
    elsewhere.remove()
  })
})
