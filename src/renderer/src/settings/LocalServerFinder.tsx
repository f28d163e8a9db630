import { useEffect, useRef, useState, type JSX } from 'react'
import { useParley } from '../parley-context'
import { pageTestHooks } from '../test-seams'
import { FoundServers } from '../welcome/FoundServers'
import { findLocalServers, localCandidates, type FoundServer } from '../welcome/local-servers'
import { providerPresets } from './provider-presets'
import { providerAt, providerLabel, type ProviderDraft } from './settings-form'

type Finding = { kind: 'idle' } | { kind: 'looking'; found: FoundServer[] } | { kind: 'done'; found: FoundServer[] }

const usualPorts = providerPresets
  .filter((preset) => preset.local && preset.baseUrl !== '')
  .map((preset) => `${preset.name} ${new URL(preset.baseUrl).port}`)
  .join(', ')

/**
 * "Look for servers on this computer" in Settings: the welcome's search for local model servers (Ollama, LM Studio,
 * llama.cpp at their usual addresses), for a server started after the first run. Each one found can be added as a
 * provider (`onAdd`), then chosen to answer in the model fields; one that already is a provider (saved, or added in
 * this form) says so instead.
 */
export function LocalServerFinder(props: { providers: readonly ProviderDraft[]; onAdd: (server: FoundServer) => void }): JSX.Element {
  const { api } = useParley()
  const [finding, setFinding] = useState<Finding>({ kind: 'idle' })
  const live = useRef(true)
  // Set again on each mount: React's strict mode mounts twice, and a flag left false would show nothing.
  useEffect(() => {
    live.current = true
    return () => {
      live.current = false
    }
  }, [])
  const look = (): void => {
    setFinding({ kind: 'looking', found: [] })
    const found: FoundServer[] = []
    void findLocalServers(
      localCandidates(undefined, pageTestHooks().localServers),
      (target) => api.testProvider(target),
      (server) => {
        found.push(server)
        if (live.current) setFinding({ kind: 'looking', found: [...found] })
      }
    ).then(() => {
      if (live.current) setFinding({ kind: 'done', found })
    })
  }
  const found = finding.kind === 'idle' ? [] : finding.found
  const addedAs = (server: FoundServer): string | undefined => {
    const there = providerAt(props.providers, server.baseUrl)
    return there && providerLabel(there)
  }
  return (
    <div className="local-finder" data-testid="settings-local-finder">
      <button type="button" className="button small" data-testid="settings-look-local" disabled={finding.kind === 'looking'} onClick={look}>
        {finding.kind === 'looking' ? 'Looking…' : 'Look for servers on this computer'}
      </button>
      {finding.kind === 'done' && found.length === 0 ? (
        <p className="field-hint" role="status" data-testid="settings-local-none">
          No model server answered at the usual addresses ({usualPorts}). Start one, or add it with its address above.
        </p>
      ) : null}
      <FoundServers place="settings" servers={found} onUse={props.onAdd} addedAs={addedAs} />
    </div>
  )
}
