// @vitest-environment happy-dom
import { act, cleanup, renderHook } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { useComposerFocus } from './use-composer-focus'

afterEach(() => {
  cleanup()
  document.body.replaceChildren()
})

const nextTask = (): Promise<void> => act(() => new Promise<void>((resolve) => setTimeout(resolve, 0)))

function box(): { current: HTMLTextAreaElement } {
  return { current: document.body.appendChild(document.createElement('textarea')) }
}

describe('useComposerFocus', () => {
  it('focuses the box in a task after the effects, without scrolling, each time another chat is shown', async () => {
    const input = box()
    const asked: (FocusOptions | undefined)[] = []
    const focus = input.current.focus.bind(input.current)
    input.current.focus = (options?: FocusOptions) => {
      asked.push(options)
      focus(options)
    }
    const hook = renderHook(({ sessionId }: { sessionId: string | undefined }) => useComposerFocus(sessionId, input), { initialProps: { sessionId: 's1' } })
    expect(document.activeElement).not.toBe(input.current)
    await nextTask()
    expect(document.activeElement).toBe(input.current)
    input.current.blur()
    hook.rerender({ sessionId: 's1' })
    await nextTask()
    expect(document.activeElement).not.toBe(input.current)
    hook.rerender({ sessionId: 's2' })
    await nextTask()
    expect(document.activeElement).toBe(input.current)
    expect(asked).toEqual([{ preventScroll: true }, { preventScroll: true }])
  })

  it('leaves the focus where it moved before that task (a title opened for renaming by the same double click)', async () => {
    const input = box()
    const rename = document.body.appendChild(document.createElement('input'))
    renderHook(() => useComposerFocus('s1', input))
    rename.focus()
    await nextTask()
    expect(document.activeElement).toBe(rename)
  })

  it('a chat shown and left before the task runs asks nothing of the box (its task is cancelled)', async () => {
    const input = box()
    const hook = renderHook(() => useComposerFocus('s1', input))
    hook.unmount()
    await nextTask()
    expect(document.activeElement).not.toBe(input.current)
  })
})
