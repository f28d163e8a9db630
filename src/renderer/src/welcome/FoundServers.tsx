import { useEffect, useState, type JSX } from 'react'
import { useParley } from '../parley-context'
import { providerPresets } from '../settings/provider-presets'
import { pageTestHooks } from '../test-seams'
import type { WelcomeState } from './first-answer'
import { findLocalServers, localCandidates, type FoundServer } from './local-servers'

const presetOrder = (server: FoundServer): number => providerPresets.indexOf(server.preset)

/**
 * The local servers running on this computer while the one that answers can't (a newcomer with LM Studio or a
 * llama.cpp server, not Ollama; or Ollama with no model pulled): looked for each time a check finds it down or with
 * no model, shown as they answer.
 */
export function useFoundServers(state: WelcomeState): FoundServer[] {
  const { api } = useParley()
  const [found, setFound] = useState<FoundServer[]>([])
  useEffect(() => {
    setFound([])
    if (state.step !== 'failed' && state.step !== 'no-models') return
    let live = true
    const candidates = localCandidates(state.provider?.baseUrl, pageTestHooks().localServers)
    void findLocalServers(
      candidates,
      (target) => api.testProvider(target),
      (server) => {
        if (live) setFound((list) => [...list, server].sort((a, b) => presetOrder(a) - presetOrder(b)))
      }
    )
    return () => {
      live = false
    }
  }, [api, state])
  return found
}

const modelCount = (models: readonly string[]): string => (models.length === 1 ? '1 model' : `${models.length} models`)

export interface FoundServersProps {
  place: 'welcome' | 'settings'
  servers: readonly FoundServer[]
  onUse: (server: FoundServer) => void
  /** The name of the provider a server already is, if it is one (Settings): it says so instead of offering Add. */
  addedAs?: (server: FoundServer) => string | undefined
}

/**
 * What was found, each with a button: on the welcome, "Use" makes it the one that answers; in Settings, "Add" makes it
 * a provider (settings/LocalServerFinder.tsx), or it says which provider it already is. `place` also names the test ids.
 */
export function FoundServers(props: FoundServersProps): JSX.Element | null {
  const { place } = props
  if (props.servers.length === 0) return null
  return (
    <div className="welcome-found" role="status" data-testid={`${place}-found`}>
      <p>
        <strong>Running on this computer:</strong>
      </p>
      <ul>
        {props.servers.map((server) => {
          const added = props.addedAs?.(server)
          return (
            <li key={server.baseUrl} data-testid={`${place}-found-server`}>
              <span>
                {server.preset.name} at {server.baseUrl}, with {modelCount(server.models)}
              </span>
              {added !== undefined ? (
                <span className="found-added" data-testid={`${place}-found-added`}>
                  Already added as {added}
                </span>
              ) : (
                <button type="button" className="button small primary" data-testid={`${place}-use-found`} onClick={() => props.onUse(server)}>
                  {place === 'welcome' ? 'Use' : 'Add'} {server.preset.name}
                </button>
              )}
            </li>
          )
        })}
      </ul>
    </div>
  )
}
