// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { StrictMode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import type { ProviderRef, ProviderTest } from '../../../shared'
import { ParleyProvider } from '../parley-context'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { freshDatabase } from '../testing/history-fixtures'
import { testServices } from '../testing/test-services'
import type { FoundServer } from '../welcome/local-servers'
import { LocalServerFinder } from './LocalServerFinder'
import type { ProviderDraft } from './settings-form'

afterEach(cleanup)

const ollama: ProviderDraft = {
  id: 'ollama',
  kind: 'openai',
  name: 'Ollama (local)',
  baseUrl: 'http://localhost:11434/v1/',
  presetId: 'ollama',
  apiKey: '',
  clearKey: false
}

function mount(answer: (baseUrl: string) => ProviderTest, providers: readonly ProviderDraft[] = []): { added: FoundServer[]; asked: string[] } {
  const api = new FakeParleyApi()
  const asked: string[] = []
  api.testProvider = async (target: ProviderRef): Promise<ProviderTest> => {
    const baseUrl = typeof target === 'string' ? '' : target.baseUrl
    asked.push(baseUrl)
    return answer(baseUrl)
  }
  const added: FoundServer[] = []
  // Strict mode, as the window runs it in development: effects are mounted twice.
  render(
    <StrictMode>
      <ParleyProvider services={testServices({ api, db: freshDatabase() })}>
        <LocalServerFinder providers={providers} onAdd={(server) => added.push(server)} />
      </ParleyProvider>
    </StrictMode>
  )
  return { added, asked }
}

const settle = (): Promise<void> => act(() => new Promise<void>((resolve) => setTimeout(resolve, 20)))

describe('looking for servers on this computer, from Settings', () => {
  it('lists the local servers that answer with models, and adds the one chosen', async () => {
    const { added, asked } = mount((baseUrl) =>
      baseUrl.includes(':1234') ? { ok: true, message: 'ok', models: ['qwen3-8b', 'gemma-3'] } : { ok: false, message: 'connection refused', models: [] }
    )
    fireEvent.click(screen.getByTestId('settings-look-local'))
    await settle()
    // Every local preset's usual address was asked (Ollama, LM Studio, llama.cpp, vLLM).
    expect(asked.length).toBeGreaterThanOrEqual(3)
    const found = screen.getAllByTestId('settings-found-server')
    expect(found.map((row) => row.textContent)).toEqual([expect.stringContaining('LM Studio at http://127.0.0.1:1234/v1, with 2 models')])
    fireEvent.click(screen.getByTestId('settings-use-found'))
    expect(added.map((server) => [server.preset.id, server.baseUrl])).toEqual([['lm-studio', 'http://127.0.0.1:1234/v1']])
  })

  it('says so when nothing answers, and names the addresses it looked at', async () => {
    mount(() => ({ ok: true, message: 'no models', models: [] }))
    fireEvent.click(screen.getByTestId('settings-look-local'))
    await settle()
    expect(screen.queryAllByTestId('settings-found-server')).toHaveLength(0)
    expect(screen.getByTestId('settings-local-none').textContent).toMatch(/Ollama 11434.*LM Studio 1234/)
  })

  it('says which provider a server found already is, instead of offering to add it again', async () => {
    // Saved as localhost, found at 127.0.0.1: the same server.
    const running = (baseUrl: string): boolean => baseUrl.includes(':11434') || baseUrl.includes(':1234')
    mount((baseUrl) => (running(baseUrl) ? { ok: true, message: 'ok', models: ['m'] } : { ok: false, message: 'refused', models: [] }), [ollama])
    fireEvent.click(screen.getByTestId('settings-look-local'))
    await settle()
    const rows = screen.getAllByTestId('settings-found-server').map((row) => row.textContent)
    expect(rows).toContain('Ollama at http://127.0.0.1:11434/v1, with 1 modelAlready added as Ollama (local)')
    expect(rows).toContain('LM Studio at http://127.0.0.1:1234/v1, with 1 modelAdd LM Studio')
    expect(screen.getAllByTestId('settings-use-found').map((button) => button.textContent)).toEqual(['Add LM Studio'])
  })
})
