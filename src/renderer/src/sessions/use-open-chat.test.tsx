// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { act, cleanup, renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import type { SessionRow } from '../db/schema'
import { ParleyProvider, type ParleyServices } from '../parley-context'
import { freshDatabase } from '../testing/history-fixtures'
import { testServices } from '../testing/test-services'
import { useOpenChat } from './use-open-chat'

const stops: (() => void)[] = []
afterEach(() => {
  cleanup()
  for (const stop of stops.splice(0)) stop()
})

const chat = (id: string, updatedAt: number): SessionRow => ({ id, title: id, createdAt: updatedAt, updatedAt, seq: updatedAt })

async function openChat(rows: SessionRow[], firstChat: string | undefined) {
  const db = freshDatabase()
  await db.sessions.bulkPut(rows)
  const services: ParleyServices = testServices({ db })
  stops.push(services.chats.start())
  const wrapper = ({ children }: { children: ReactNode }) => <ParleyProvider services={services}>{children}</ParleyProvider>
  const hook = renderHook(() => useOpenChat(firstChat), { wrapper })
  await waitFor(() => expect(hook.result.current.sessions).toBeDefined())
  return { hook, services }
}

describe('useOpenChat', () => {
  it('shows the chat the window showed last, with its row; the newest when none was', async () => {
    const { hook } = await openChat([chat('old', 1), chat('new', 2)], 'old')
    expect(hook.result.current.sessionId).toBe('old')
    expect(hook.result.current.current?.id).toBe('old')
    const fresh = await openChat([chat('old', 1), chat('new', 2)], undefined)
    expect(fresh.hook.result.current.sessionId).toBe('new')
    expect(fresh.hook.result.current.sessions?.map((row) => row.id)).toEqual(['new', 'old'])
  })

  it('a chat being deleted is not listed and not shown', async () => {
    const { hook, services } = await openChat([chat('old', 1), chat('new', 2)], 'new')
    act(() => services.deletes.schedule({ kind: 'chat', id: 'new', sessionId: 'new', title: 'new' }, async () => undefined))
    await waitFor(() => expect(hook.result.current.sessions?.map((row) => row.id)).toEqual(['old']))
    expect(hook.result.current.current?.id).not.toBe('new')
    act(() => hook.result.current.setSelected('old'))
    expect(hook.result.current.sessionId).toBe('old')
    services.deletes.undo('new')
  })
})
