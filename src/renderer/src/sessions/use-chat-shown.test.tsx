// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { cleanup, renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import type { SessionRow } from '../db/schema'
import { ParleyProvider, type ParleyServices } from '../parley-context'
import { testServices } from '../testing/test-services'
import { Attention } from './attention'
import { readLastOpenChat } from './last-open-chat'
import { useChatShown } from './use-chat-shown'

afterEach(() => {
  cleanup()
  localStorage.clear()
})

const unseen: SessionRow = { id: 's1', title: 'Soup', createdAt: 1, updatedAt: 1, seq: 3, unseenSeq: 3, seenSeq: 1 }
const failures: string[] = []
const reportFailure = (what: string) => () => failures.push(what)

function chatShown(services: ParleyServices, row: SessionRow) {
  const wrapper = ({ children }: { children: ReactNode }) => <ParleyProvider services={services}>{children}</ParleyProvider>
  return renderHook(() => useChatShown(row.id, row, reportFailure), { wrapper })
}

describe('useChatShown', () => {
  it('attention knows the chat on screen, the next start opens it, and its unseen mark goes', async () => {
    const services = testServices()
    await services.db.sessions.put(unseen)
    chatShown(services, unseen)
    expect(services.attention.getSnapshot().openSessionId).toBe('s1')
    expect(readLastOpenChat(localStorage)).toBe('s1')
    await waitFor(async () => expect((await services.db.sessions.get('s1'))?.seenSeq).toBe(3))
    expect(failures).toEqual([])
  })

  it('the unseen mark stays while the window is not looked at', async () => {
    const services = testServices({ attention: new Attention(false) })
    await services.db.sessions.put(unseen)
    chatShown(services, unseen)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect((await services.db.sessions.get('s1'))?.seenSeq).toBe(1)
  })
})
