// @vitest-environment happy-dom
import { cleanup, fireEvent, render } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { presetById } from '../settings/provider-presets'
import { FoundServers } from './FoundServers'
import type { FoundServer } from './local-servers'

afterEach(cleanup)

function found(presetId: string, baseUrl: string, models: string[]): FoundServer {
  const preset = presetById(presetId)
  if (!preset) throw new Error(`no preset ${presetId}`)
  return { preset, baseUrl, models }
}

describe('FoundServers', () => {
  it('names each server found with where it is and how many models it has, and Use hands it on', () => {
    const used: string[] = []
    const servers = [found('lm-studio', 'http://127.0.0.1:1234/v1', ['qwen']), found('llama-cpp', 'http://127.0.0.1:8080/v1', ['a', 'b'])]
    const view = render(<FoundServers place="welcome" servers={servers} onUse={(server) => used.push(server.preset.id)} />)
    const items = view.getAllByTestId('welcome-found-server')
    expect(items.map((item) => item.textContent)).toEqual([
      'LM Studio at http://127.0.0.1:1234/v1, with 1 modelUse LM Studio',
      'llama.cpp server at http://127.0.0.1:8080/v1, with 2 modelsUse llama.cpp server'
    ])
    fireEvent.click(view.getByRole('button', { name: 'Use llama.cpp server' }))
    expect(used).toEqual(['llama-cpp'])
  })

  it('shows nothing when nothing was found', () => {
    const view = render(<FoundServers place="welcome" servers={[]} onUse={() => undefined} />)
    expect(view.container.textContent).toBe('')
  })
})
