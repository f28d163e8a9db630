// @vitest-environment happy-dom
import { act, cleanup, renderHook } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { limits } from '../../../shared'
import { longPromptText } from './long-prompt'
import { useLongPrompt } from './use-long-prompt'

afterEach(cleanup)

describe('useLongPrompt', () => {
  it('says nothing and refuses nothing while the prompt is within the limit', () => {
    const hook = renderHook(() => useLongPrompt(longPromptText('short')))
    expect(hook.result.current.text).toBeNull()
    let refused = true
    act(() => {
      refused = hook.result.current.refuse()
    })
    expect(refused).toBe(false)
    expect(hook.result.current.refusals).toBe(0)
  })

  it('over the limit, says so at once and counts each Send it refuses (the notice is drawn anew for each)', () => {
    const hook = renderHook(({ draft }: { draft: string }) => useLongPrompt(longPromptText(draft)), { initialProps: { draft: 'x'.repeat(limits.promptChars + 1) } })
    expect(hook.result.current.text).toMatch(/Send it as a file instead\?$/)
    act(() => {
      expect(hook.result.current.refuse()).toBe(true)
    })
    act(() => {
      expect(hook.result.current.refuse()).toBe(true)
    })
    expect(hook.result.current.refusals).toBe(2)
    hook.rerender({ draft: 'shortened' })
    expect(hook.result.current.text).toBeNull()
  })

  it('says the sentence it is given: the edit box says its own (chat/actions/EditPrompt.tsx)', () => {
    const hook = renderHook(() => useLongPrompt('This prompt is too long. Shorten it, or attach it as a file.'))
    expect(hook.result.current.text).toBe('This prompt is too long. Shorten it, or attach it as a file.')
    act(() => {
      expect(hook.result.current.refuse()).toBe(true)
    })
    expect(hook.result.current.refusals).toBe(1)
  })
})
