// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { cleanup, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { ParleyProvider } from '../parley-context'
import { testServices } from '../testing/test-services'
import { ProviderEditor } from './ProviderEditor'

afterEach(cleanup)

describe('the provider form', () => {
  it("shows the preset's command as code, not as backticks", () => {
    const ollama = { id: 'ollama', kind: 'openai', name: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1', presetId: 'ollama', apiKey: '', clearKey: false } as const
    render(
      <ParleyProvider services={testServices()}>
        <ProviderEditor provider={ollama} hasKey={false} savedIds={[]} testIdPrefix="settings" onChange={() => undefined} />
      </ParleyProvider>
    )
    const hint = screen.getByTestId('settings-provider-hint')
    expect(hint.textContent).not.toContain('`')
    expect(hint.querySelector('code')?.textContent).toBe('ollama pull llama3.2')
  })
})
