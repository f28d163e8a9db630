// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { act, cleanup, renderHook } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { MessageTargets } from '../chat/MessageTargets'
import { ParleyProvider, type ParleyServices } from '../parley-context'
import { testServices } from '../testing/test-services'
import { useChatAsked } from './use-chat-asked'

afterEach(cleanup)

function chatAsked(services: ParleyServices) {
  const shown: string[] = []
  const wrapper = ({ children }: { children: ReactNode }) => (
    <ParleyProvider services={services}>
      <MessageTargets>{children}</MessageTargets>
    </ParleyProvider>
  )
  const hook = renderHook(() => useChatAsked((sessionId) => shown.push(sessionId)), { wrapper })
  return { hook, shown }
}

describe('useChatAsked', () => {
  it('a message asked for (a search result, a link) shows its chat and is the target', () => {
    const { hook, shown } = chatAsked(testServices())
    act(() => hook.result.current.openMessage('s2', 'm1'))
    expect(shown).toEqual(['s2'])
    expect(hook.result.current.target).toMatchObject({ sessionId: 's2', messageId: 'm1' })
  })

  it('a chat main asks to show (a notification clicked, the tray) is shown', () => {
    const services = testServices()
    const { shown } = chatAsked(services)
    act(() => {
      services.openRequests.startAfter(0)
      services.openRequests.take({ type: 'session.open', sessionId: 's3', seq: 1, at: 1 })
    })
    expect(shown).toEqual(['s3'])
  })
})
