// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { RunComplete } from '../../../shared'
import { ParleyProvider } from '../parley-context'
import { testServices } from '../testing/test-services'
import { RunAnnouncer } from './RunAnnouncer'

afterEach(cleanup)

describe('RunAnnouncer', () => {
  it('tells a screen reader when this chat\'s answer ends, not another chat\'s; the same sentence twice is still a change', () => {
    const services = testServices()
    render(
      <ParleyProvider services={services}>
        <RunAnnouncer sessionId="open" />
      </ParleyProvider>
    )
    const region = screen.getByTestId('run-announcement')
    expect(region.getAttribute('role')).toBe('status')
    const end = (complete: RunComplete, seq: number) => act(() => services.announcements.take({ type: 'run.complete', complete, seq, at: 0 }))
    end({ runId: 'r1', sessionId: 'other', text: 'x', cancelled: false }, 1)
    expect(region.textContent).toBe('')
    end({ runId: 'r2', sessionId: 'open', text: 'x', cancelled: false }, 2)
    const first = region.textContent
    expect(first?.trim()).toBe('The answer is in.')
    end({ runId: 'r3', sessionId: 'open', text: 'y', cancelled: false }, 3)
    expect(region.textContent?.trim()).toBe('The answer is in.')
    expect(region.textContent).not.toBe(first)
  })
})
