// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { cleanup, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { ParleyProvider } from '../parley-context'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { testServices } from '../testing/test-services'
import { ModelChooser } from './ModelChooser'
import type { SettingsDraft } from './settings-form'

afterEach(cleanup)

const draft = (model: string): SettingsDraft => ({
  providers: [{ id: 'llama', kind: 'openai', name: 'llama.cpp', baseUrl: 'http://127.0.0.1:8080/v1', presetId: undefined, apiKey: '', clearKey: false }],
  large: { providerId: 'llama', model },
  small: undefined,
  room: { context: '8,192', answer: '2,048' },
  systemPrompt: '',
  closeToTray: false,
  notify: false,
  notifyOnlyInBackground: true
})

function chooser(api: FakeParleyApi, model: string, savedIds: string[]) {
  return (
    <ParleyProvider services={testServices({ api })}>
      <ModelChooser draft={draft(model)} savedIds={savedIds} models={{}} onModels={() => undefined} onDraft={() => undefined} />
    </ParleyProvider>
  )
}

describe('the model chooser', () => {
  it('B2: says the context the server runs the answering model with, and that Parley sends no more', async () => {
    const api = new FakeParleyApi()
    api.served.set('qwen3-8b', 4096)
    render(chooser(api, 'qwen3-8b', ['llama']))
    expect((await screen.findByTestId('settings-served-context', {}, { timeout: 2000 })).textContent).toBe(
      'The server runs qwen3-8b with 4,096 tokens of context: Parley sends no more than that.'
    )
  })

  it('B2: says nothing when the server says nothing, or for a provider not saved yet (not asked)', async () => {
    const api = new FakeParleyApi()
    api.served.set('qwen3-8b', 4096)
    const { unmount } = render(chooser(api, 'other-model', ['llama']))
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(screen.queryByTestId('settings-served-context')).toBeNull()
    unmount()
    const before = api.calls.filter((call) => call.method === 'servedContext').length
    render(chooser(api, 'qwen3-8b', []))
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(screen.queryByTestId('settings-served-context')).toBeNull()
    expect(api.calls.filter((call) => call.method === 'servedContext').length).toBe(before)
  })
})
