// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { FocusClaim } from './focus-claim'

function page() {
  document.body.innerHTML = `
    <section id="welcome"><button id="check">Check again</button><button id="hello">Say hello</button></section>
    <textarea id="composer"></textarea>
    <input id="filter" />`
  const get = (id: string): HTMLElement => {
    const element = document.getElementById(id)
    if (!element) throw new Error(id)
    return element
  }
  const claim = new FocusClaim(document, () => document.getElementById('welcome'))
  claim.start()
  return { claim, get }
}

const press = (target: HTMLElement, key: string): boolean => target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }))
const point = (target: HTMLElement): boolean => target.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }))

let current: FocusClaim | undefined
afterEach(() => {
  current?.stop()
  document.body.innerHTML = ''
})

describe('the welcome claims the focus for Say hello', () => {
  it('when nothing is focused, or only where the window put it (the empty composer)', () => {
    const { claim, get } = page()
    current = claim
    expect(claim.mayTake()).toBe(true)
    get('composer').focus()
    expect(claim.mayTake()).toBe(true)
  })

  it('when the person is using the welcome itself (Check again clicked, Tab pressed there)', () => {
    const { claim, get } = page()
    current = claim
    get('check').focus()
    point(get('check'))
    press(get('check'), 'Tab')
    expect(claim.mayTake()).toBe(true)
  })

  it('not once the person clicked into the composer, even before typing a letter', () => {
    const { claim, get } = page()
    current = claim
    point(get('composer'))
    get('composer').focus()
    expect(claim.mayTake()).toBe(false)
  })

  it('not once the person pressed a key outside the welcome (typing in the composer, a shortcut)', () => {
    const { claim, get } = page()
    current = claim
    get('composer').focus()
    press(get('composer'), 'w')
    expect(claim.mayTake()).toBe(false)
  })

  it('not while another field holds something typed, and not after it stopped listening', () => {
    const { claim, get } = page()
    current = claim
    const composer = get('composer') as HTMLTextAreaElement
    composer.value = 'draft'
    composer.focus()
    expect(claim.mayTake()).toBe(false)
    composer.value = ''
    claim.stop()
    press(get('filter'), 'x')
    expect(claim.mayTake()).toBe(true)
  })
})
