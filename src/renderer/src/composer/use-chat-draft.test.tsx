// @vitest-environment happy-dom
import { act, cleanup, renderHook } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { readDraft } from './drafts'
import { useChatDraft } from './use-chat-draft'

afterEach(() => {
  cleanup()
  localStorage.clear()
})

function box(first: string | undefined) {
  return renderHook(({ sessionId }: { sessionId: string | undefined }) => useChatDraft(sessionId), { initialProps: { sessionId: first } })
}

describe('useChatDraft', () => {
  it('keeps each chat its own text, in storage as it is typed, and swaps it in the render that switches chats', () => {
    const hook = box('s1')
    act(() => hook.result.current[1]('for s1'))
    expect(readDraft(localStorage, 's1')).toBe('for s1')
    hook.rerender({ sessionId: 's2' })
    expect(hook.result.current[0]).toBe('')
    act(() => hook.result.current[1]((current) => `${current}for s2`))
    hook.rerender({ sessionId: 's1' })
    expect(hook.result.current[0]).toBe('for s1')
    expect(readDraft(localStorage, 's2')).toBe('for s2')
  })

  it('text typed with no chat moves to the chat made for it; an empty box with no chat moves nothing', () => {
    const hook = box(undefined)
    act(() => hook.result.current[1]('first prompt'))
    expect(readDraft(localStorage, undefined)).toBe('first prompt')
    hook.rerender({ sessionId: 'made' })
    expect(hook.result.current[0]).toBe('first prompt')
    expect(readDraft(localStorage, 'made')).toBe('first prompt')
    expect(readDraft(localStorage, undefined)).toBe('')
    hook.rerender({ sessionId: undefined })
    expect(hook.result.current[0]).toBe('')
    hook.rerender({ sessionId: 'made' })
    expect(hook.result.current[0]).toBe('first prompt')
  })
})
