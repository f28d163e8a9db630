// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { act, cleanup, render, screen } from '@testing-library/react'
import { StrictMode, type JSX } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultSettings, type ProviderRef, type SettingsView } from '../../../../shared'
import { ParleyProvider } from '../../parley-context'
import { SettingsChanges } from '../../settings/settings-changes'
import { FakeParleyApi } from '../../testing/fake-parley-api'
import { testServices } from '../../testing/test-services'
import { ChatModelPicker } from './ChatModelPicker'
import { useModelLists } from './use-model-lists'

afterEach(cleanup)

function Header(): JSX.Element | null {
  const lists = useModelLists()
  return <ChatModelPicker options={undefined} lists={lists} onPick={() => undefined} disabled={false} />
}

/** A window showing the chat header, over a main whose answering model and model lists the test sets. */
function mount(lists: Record<string, string[]> = { ollama: ['qwen2.5:7b'] }): {
  saved: { model: string; lists: Record<string, string[]> }
  changes: SettingsChanges
} {
  const saved = { model: 'qwen2.5:7b', lists }
  const api = new FakeParleyApi()
  api.getSettings = async (): Promise<SettingsView> => {
    const settings = defaultSettings()
    return { ...settings, models: { ...settings.models, large: { ...settings.models.large, model: saved.model } }, apiKeys: {} }
  }
  api.listModels = async (provider: ProviderRef): Promise<string[]> => saved.lists[String(provider)] ?? []
  const changes = new SettingsChanges()
  render(
    <StrictMode>
      <ParleyProvider services={testServices({ api, settingsChanges: changes })}>
        <Header />
      </ParleyProvider>
    </StrictMode>
  )
  return { saved, changes }
}

const settle = (): Promise<void> => act(() => new Promise<void>((resolve) => setTimeout(resolve, 20)))
const offered = (): string[] => Array.from(screen.getByTestId('chat-model').querySelectorAll('option'), (option) => option.textContent ?? '')

describe('the chat header\'s model picker', () => {
  it('names the new default and lists anew once the settings are saved, in this window or another', async () => {
    const { saved, changes } = mount()
    await settle()
    expect(offered()).toEqual(['Default: qwen2.5:7b', 'qwen2.5:7b'])
    saved.model = 'gemma3'
    saved.lists = { ollama: ['qwen2.5:7b', 'gemma3'] }
    // Main tells every window of a save; no focus on the picker, no reload.
    act(() => changes.take({ type: 'settings.changed', seq: 7, at: 1 }))
    await settle()
    expect(offered()).toEqual(['Default: gemma3', 'qwen2.5:7b', 'gemma3'])
  })

  it('offers no embedding model', async () => {
    mount({ ollama: ['qwen2.5:7b', 'nomic-embed-text:latest', 'text-embedding-nomic-embed-text-v1.5'] })
    await settle()
    expect(offered()).toEqual(['Default: qwen2.5:7b', 'qwen2.5:7b'])
  })
})
