// @vitest-environment happy-dom
import { act, cleanup, renderHook } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useFollowBottom, useNewPromptFollowed } from './use-follow-bottom'

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

/** A scroller 600 px tall over 10,000 px of rows, its scrollTop set by hand (happy-dom lays nothing out). */
function scroller(): { element: HTMLElement; scrollTo: (top: number) => void } {
  const element = document.createElement('div')
  element.append(document.createElement('p'))
  document.body.append(element)
  Object.defineProperty(element, 'scrollHeight', { value: 10_000 })
  Object.defineProperty(element, 'clientHeight', { value: 600 })
  const scrollTo = (top: number): void => {
    element.scrollTop = top
    element.dispatchEvent(new Event('scroll'))
  }
  return { element, scrollTo }
}

/** A list opened at its end, following, then left by the wheel turned up while a token's jump undid the turn. */
function leftByTheWheel() {
  const { element, scrollTo } = scroller()
  const hook = renderHook(() => useFollowBottom('end'))
  act(() => {
    hook.result.current.scrollerRef(element)
    scrollTo(9_400)
  })
  expect(hook.result.current.following).toBe(true)
  act(() => {
    element.dispatchEvent(new WheelEvent('wheel', { deltaY: -120 }))
    // The token's jump landed first: the list is at the bottom again, and the scroll event says so.
    scrollTo(9_400)
  })
  expect(hook.result.current.following).toBe(false)
  return { element, scrollTo, hook }
}

describe('following the bottom, by the reader’s own moves', () => {
  it('follows again when the scrollbar is dragged back to the bottom', () => {
    const { element, scrollTo, hook } = leftByTheWheel()
    act(() => {
      element.dispatchEvent(new PointerEvent('pointerdown'))
      scrollTo(5_000)
    })
    expect(hook.result.current.following).toBe(false)
    act(() => scrollTo(9_400))
    expect(hook.result.current.following).toBe(true)
  })

  it('follows again after Page Down reaches the bottom, and not after a key typed in a text field', () => {
    const { element, scrollTo, hook } = leftByTheWheel()
    const field = document.createElement('textarea')
    element.append(field)
    act(() => {
      field.dispatchEvent(new KeyboardEvent('keydown', { key: 'PageDown', bubbles: true }))
      scrollTo(9_400)
    })
    expect(hook.result.current.following).toBe(false)
    act(() => {
      element.dispatchEvent(new KeyboardEvent('keydown', { key: 'PageDown', bubbles: true }))
      scrollTo(9_400)
    })
    expect(hook.result.current.following).toBe(true)
  })

  it('stops following at a key that scrolls up, and a pointer pressed on a message is not the scrollbar', () => {
    const { element, scrollTo } = scroller()
    const hook = renderHook(() => useFollowBottom('end'))
    act(() => {
      hook.result.current.scrollerRef(element)
      scrollTo(9_400)
    })
    act(() => {
      element.dispatchEvent(new KeyboardEvent('keydown', { key: 'PageUp', bubbles: true }))
      scrollTo(9_400)
    })
    expect(hook.result.current.following).toBe(false)
    act(() => {
      element.querySelector('p')?.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }))
      scrollTo(9_400)
    })
    expect(hook.result.current.following).toBe(false)
  })
})

/** A ResizeObserver the test drives: what it observes, and its callback, called when the test says sizes changed. */
function observedSizes(): { watched: { target: Element; box: string | undefined }[]; changed: () => void } {
  const watched: { target: Element; box: string | undefined }[] = []
  const connected = new Set<() => void>()
  class TestObserver {
    constructor(private readonly callback: () => void) {
      connected.add(callback)
    }
    observe(target: Element, options?: { box?: string }): void {
      watched.push({ target, box: options?.box })
    }
    unobserve(): void {}
    disconnect(): void {
      watched.length = 0
      connected.delete(this.callback)
    }
  }
  vi.stubGlobal('ResizeObserver', TestObserver)
  return { watched, changed: () => [...connected].forEach((callback) => callback()) }
}

describe('following the bottom as the rows grow', () => {
  /** A scroller over Virtuoso's item list, whose rows grow by `grow` px (Virtuoso measured them taller than guessed). */
  function growingList() {
    const sizes = observedSizes()
    const element = document.createElement('div')
    const items = document.createElement('div')
    items.setAttribute('data-testid', 'virtuoso-item-list')
    element.append(items)
    document.body.append(element)
    let height = 10_000
    Object.defineProperty(element, 'scrollHeight', { get: () => height })
    Object.defineProperty(element, 'clientHeight', { value: 600 })
    const heard: number[] = []
    element.addEventListener('scroll', () => heard.push(element.scrollTop))
    const hook = renderHook(() => useFollowBottom('end'))
    act(() => {
      hook.result.current.scrollerRef(element)
      element.scrollTop = 9_400
      element.dispatchEvent(new Event('scroll'))
    })
    heard.length = 0
    return { element, items, sizes, heard, hook, grow: (px: number) => (height += px) }
  }

  it('pins the list to its new bottom when its item list grows, in the same observer callback, and tells Virtuoso at once', () => {
    const { element, items, sizes, heard, grow } = growingList()
    // The item list's border box: the rows Virtuoso hasn't drawn are its padding.
    expect(sizes.watched).toContainEqual({ target: items, box: 'border-box' })
    expect(sizes.watched.map((watch) => watch.target)).toContain(element)
    grow(198)
    act(() => sizes.changed())
    expect(element.scrollTop).toBe(10_198)
    // A scroll event in the callback itself (before the frame is painted), so Virtuoso draws the rows there now.
    expect(heard).toEqual([10_198])
    // Nothing moved, nothing told.
    act(() => sizes.changed())
    expect(heard).toEqual([10_198])
  })

  it('leaves pinning to Virtuoso when told of the rows before it measured them (its own observer later in the frame)', () => {
    const { element, items, sizes, heard, hook, grow } = growingList()
    // Virtuoso measures rows in its observer's callback; the answer's row, reckoned at 384 px, is 1,384 px now.
    act(() => hook.result.current.watchSizes(true))
    const answer = document.createElement('div')
    answer.dataset['knownSize'] = '384'
    items.append(answer)
    let listHeight = 1_384
    Object.defineProperty(items, 'offsetHeight', { get: () => listHeight })
    grow(1_000)
    act(() => sizes.changed())
    // Scrolled now, past the rows Virtuoso reckons, it would draw none of them.
    expect(element.scrollTop).toBe(9_400)
    expect(heard).toEqual([])
    // Virtuoso measured the row and says the list grew (`totalListHeightChanged`): pinned then.
    act(() => hook.result.current.grown())
    expect(element.scrollTop).toBe(11_000)
    // Measured (the row drawn at its size), the pin's own observer pins it.
    answer.dataset['knownSize'] = '1384'
    grow(0)
    listHeight = 1_384
    element.scrollTop = 10_000
    act(() => sizes.changed())
    expect(element.scrollTop).toBe(11_000)
    // While Virtuoso measures a frame later, the pin goes first.
    act(() => hook.result.current.watchSizes(false))
    answer.dataset['knownSize'] = '1'
    element.scrollTop = 10_000
    act(() => sizes.changed())
    expect(element.scrollTop).toBe(11_000)
  })

  it('keeps following when the browser lowered scrollTop itself (the list drawn shorter for a moment) and the rows came back', () => {
    const { element, sizes, heard, hook, grow } = growingList()
    // Virtuoso heard of a place past the rows it had measured and drew none: the list, 8,000 px for a moment, put
    // scrollTop at its bottom then (no scroll event yet), and its rows, drawn again, made it 11,000 px.
    element.scrollTop = 7_400
    grow(1_000)
    act(() => sizes.changed())
    expect(hook.result.current.following).toBe(true)
    expect(element.scrollTop).toBe(11_000)
    expect(heard).toEqual([11_000])
    // The scroll event of the lowering, heard now, finds the list at its bottom.
    act(() => {
      element.dispatchEvent(new Event('scroll'))
    })
    expect(hook.result.current.following).toBe(true)
  })

  it('leaves a script’s scroll up where it went once its scroll event is heard, and ↓ brings the list down again', () => {
    const { element, sizes, hook, grow } = growingList()
    act(() => {
      element.scrollTop = 7_900
      element.dispatchEvent(new Event('scroll'))
    })
    expect(hook.result.current.following).toBe(false)
    grow(198)
    act(() => sizes.changed())
    expect(element.scrollTop).toBe(7_900)
    act(() => hook.result.current.toBottom())
    expect(element.scrollTop).toBe(10_198)
    expect(hook.result.current.following).toBe(true)
  })

  it('leaves a reader who scrolled up where they are', () => {
    const { element, sizes, heard, grow } = growingList()
    act(() => {
      element.dispatchEvent(new WheelEvent('wheel', { deltaY: -120 }))
      element.scrollTop = 9_000
      element.dispatchEvent(new Event('scroll'))
    })
    heard.length = 0
    grow(198)
    act(() => sizes.changed())
    expect(element.scrollTop).toBe(9_000)
    expect(heard).toEqual([])
  })
})

describe('a new prompt at the end', () => {
  type Last = { id: string; runId: string } | undefined

  it('brings the list down once for a prompt this window sent to an idle chat; not as the list opens, not the live end coming back', () => {
    let downs = 0
    const sentNow = (runId: string): boolean => runId.startsWith('now-')
    const hook = renderHook((props: { last: Last }) => useNewPromptFollowed(props.last, sentNow, () => void (downs += 1)), {
      initialProps: { last: { id: 'p1', runId: 'now-1' } as Last }
    })
    expect(downs).toBe(0)
    hook.rerender({ last: { id: 'a1', runId: 'now-1' } })
    expect(downs).toBe(0)
    hook.rerender({ last: { id: 'p2', runId: 'now-2' } })
    expect(downs).toBe(1)
    // Its answer comes in next: the reader who scrolled up meanwhile is not brought down again.
    hook.rerender({ last: { id: 'a2', runId: 'now-2' } })
    expect(downs).toBe(1)
    // A quick answer comes in the same render as its prompt: the answer is the first the list sees.
    hook.rerender({ last: { id: 'a3', runId: 'now-3' } })
    expect(downs).toBe(2)
    // Scrolled away from the live end and back: the same last message is not a new one.
    hook.rerender({ last: undefined })
    hook.rerender({ last: { id: 'a3', runId: 'now-3' } })
    expect(downs).toBe(2)
  })

  it('leaves the reader where they are for a queued prompt that starts, or one sent from elsewhere', () => {
    let downs = 0
    const hook = renderHook((props: { last: Last }) => useNewPromptFollowed(props.last, (runId) => runId === 'mine', () => void (downs += 1)), {
      initialProps: { last: { id: 'm1', runId: 'first' } as Last }
    })
    hook.rerender({ last: { id: 'm2', runId: 'queued-earlier' } })
    hook.rerender({ last: { id: 'm3', runId: 'from-the-cli' } })
    expect(downs).toBe(0)
    hook.rerender({ last: { id: 'm4', runId: 'mine' } })
    expect(downs).toBe(1)
  })
})
