// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { act, cleanup, renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import type { ProviderRef, ProviderTest } from '../../../shared'
import { ParleyProvider } from '../parley-context'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { testServices } from '../testing/test-services'
import { useWelcomeCheck } from './use-welcome-check'

afterEach(cleanup)

/** A server that offers only `other`, not the configured model. */
class OtherModelApi extends FakeParleyApi {
  override async testProvider(provider: ProviderRef): Promise<ProviderTest> {
    this.calls.push({ method: 'testProvider', args: [provider] })
    return { ok: true, message: 'ok', models: ['other'] }
  }
}

function welcomeCheck(api: FakeParleyApi, settingsOpen: boolean) {
  const wrapper = ({ children }: { children: ReactNode }) => <ParleyProvider services={testServices({ api })}>{children}</ParleyProvider>
  return renderHook(({ settingsOpen }: { settingsOpen: boolean }) => useWelcomeCheck(settingsOpen), { wrapper, initialProps: { settingsOpen } })
}

const saves = (api: FakeParleyApi): number => api.calls.filter((call) => call.method === 'updateSettings').length

describe('useWelcomeCheck', () => {
  it('checks at once, and a configured model the server does not offer gives way to its first (saved)', async () => {
    const api = new OtherModelApi()
    const hook = welcomeCheck(api, false)
    expect(hook.result.current.state.step).toBe('checking')
    await waitFor(() => expect(hook.result.current.state).toMatchObject({ step: 'ready', model: 'other', picked: true }))
    expect(saves(api)).toBe(1)
    expect(hook.result.current.view).toBeDefined()
  })

  it('checks nothing while Settings is open, and on closing keeps the model chosen there, listed or not', async () => {
    const api = new OtherModelApi()
    const hook = welcomeCheck(api, true)
    await act(async () => new Promise((resolve) => setTimeout(resolve, 20)))
    expect(api.calls.filter((call) => call.method === 'testProvider')).toHaveLength(0)
    hook.rerender({ settingsOpen: false })
    await waitFor(() => expect(hook.result.current.state).toMatchObject({ step: 'ready', picked: false, listed: false }))
    expect(saves(api)).toBe(0)
  })
})
