// @vitest-environment happy-dom
import { act, cleanup, renderHook } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { SessionRow } from '../db/schema'
import { useChatFilter } from './use-chat-filter'

afterEach(cleanup)

const chat = (id: string, title: string | null): SessionRow => ({ id, title, createdAt: 0, updatedAt: 0, seq: 1 })
const soup = chat('soup', 'Tomato soup')
const bread = chat('bread', 'Bread')

function filter(sessions: readonly SessionRow[] | undefined, selectedId: string | undefined) {
  return renderHook(({ sessions, selectedId }: { sessions: readonly SessionRow[] | undefined; selectedId: string | undefined }) => useChatFilter(sessions, selectedId), {
    initialProps: { sessions, selectedId }
  })
}

describe('useChatFilter', () => {
  it('shows the chats whose titles match what is typed, none until the list is read', () => {
    expect(filter(undefined, undefined).result.current.shown).toBeUndefined()
    const hook = filter([soup, bread], undefined)
    act(() => hook.result.current.setQuery('TOMATO'))
    expect(hook.result.current.shownQuery).toBe('TOMATO')
    expect(hook.result.current.shown?.map((row) => row.id)).toEqual(['soup'])
  })

  it('typing a filter that hides the chat open leaves it as typed', () => {
    const hook = filter([soup, bread], 'soup')
    act(() => hook.result.current.setQuery('bread'))
    expect(hook.result.current.query).toBe('bread')
  })

  it('a chat opened that the filter hides clears it, once its row is in (a new chat comes a moment after); one it shows keeps it', () => {
    const hook = filter([soup, bread], 'soup')
    act(() => hook.result.current.setQuery('bread'))
    hook.rerender({ sessions: [soup, bread], selectedId: 'bread' })
    expect(hook.result.current.query).toBe('bread')
    hook.rerender({ sessions: [soup, bread], selectedId: 'fresh' })
    expect(hook.result.current.query).toBe('bread')
    hook.rerender({ sessions: [chat('fresh', null), soup, bread], selectedId: 'fresh' })
    expect(hook.result.current.query).toBe('')
  })
})
