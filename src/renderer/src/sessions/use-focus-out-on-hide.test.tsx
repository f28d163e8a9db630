// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react'
import { useRef, type JSX } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { useFocusOutOnHide } from './use-focus-out-on-hide'

afterEach(() => {
  cleanup()
  document.body.replaceChildren()
})

function Part(): JSX.Element {
  const part = useRef<HTMLElement>(null)
  useFocusOutOnHide(part)
  return (
    <aside ref={part}>
      <input data-testid="inside" />
    </aside>
  )
}

function composerBox(): HTMLTextAreaElement {
  const composer = document.body.appendChild(document.createElement('textarea'))
  composer.dataset['testid'] = 'composer-input'
  return composer
}

describe('useFocusOutOnHide', () => {
  it('hidden while it holds the focus, the part gives the focus to the composer, not the page', () => {
    const composer = composerBox()
    const { unmount } = render(<Part />)
    screen.getByTestId('inside').focus()
    unmount()
    expect(document.activeElement).toBe(composer)
  })

  it('hidden while the focus is elsewhere, it leaves the focus there', () => {
    composerBox()
    const elsewhere = document.body.appendChild(document.createElement('input'))
    const { unmount } = render(<Part />)
    elsewhere.focus()
    unmount()
    expect(document.activeElement).toBe(elsewhere)
  })
})
