// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { cleanup, renderHook, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { ParleyProvider } from '../parley-context'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { testServices } from '../testing/test-services'
import type { ModelChoice } from './settings-form'
import { useServedContext } from './use-served-context'

afterEach(cleanup)

function served(api: FakeParleyApi, choice: ModelChoice, savedIds: readonly string[]) {
  const wrapper = ({ children }: { children: ReactNode }) => <ParleyProvider services={testServices({ api })}>{children}</ParleyProvider>
  return renderHook(({ choice }: { choice: ModelChoice }) => useServedContext(choice, savedIds), { wrapper, initialProps: { choice } })
}

const asked = (api: FakeParleyApi): number => api.calls.filter((call) => call.method === 'servedContext').length

describe('useServedContext', () => {
  it('B2: says what the server runs the model with, and nothing for another model chosen since', async () => {
    const api = new FakeParleyApi()
    api.served.set('qwen3-8b', 4096)
    const hook = served(api, { providerId: 'llama', model: 'qwen3-8b' }, ['llama'])
    await waitFor(() => expect(hook.result.current).toEqual({ providerId: 'llama', model: 'qwen3-8b', size: 4096 }))
    hook.rerender({ choice: { providerId: 'llama', model: 'other' } })
    expect(hook.result.current).toBeUndefined()
  })

  it('B2: a provider not saved yet, or no model, is not asked', async () => {
    const api = new FakeParleyApi()
    served(api, { providerId: 'llama', model: 'qwen3-8b' }, [])
    served(api, { providerId: 'llama', model: ' ' }, ['llama'])
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(asked(api)).toBe(0)
  })
})
