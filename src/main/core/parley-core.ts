import { mkdirSync } from 'node:fs'
import type { Settings } from '../../shared'
import { MemoryHistory } from './agent/memory-history'
import { SessionAgent } from './agent/session-agent'
import { EventBroker } from './events/event-broker'
import { BridgedHistory } from './history/bridged-history'
import { SessionFile } from './history/session-file'
import { classifyProviderError } from './providers/errors'
import { ReachabilityMonitor } from './reachability/reachability-monitor'
import { ModelPool, type ProviderFactory } from './service/model-pool'
import { ParleyService } from './service/parley-service'
import { FileSecretStore, type SecretStore } from './settings/secret-store'
import { SettingsStore } from './settings/settings-store'

export interface ParleyCoreOptions {
  /** Where settings, secrets (browser mode) and main's session list live. */
  dataDir: string
  /** The settings to start from when the data folder has none yet. */
  initialSettings?: Settings
  /** Where API keys live: a store, or a function that builds one over the settings file (the desktop's keychain). */
  secrets?: SecretStore | ((settings: SettingsStore) => SecretStore)
  providerFactory?: ProviderFactory
}

export interface ParleyCore {
  service: ParleyService
  agent: SessionAgent
  reachability: ReachabilityMonitor
  broker: EventBroker
  settings: SettingsStore
  secrets: SecretStore
  shutdown(): Promise<void>
}

/** Composes the plain-Node core: the same in the desktop app, browser mode and headless tests. */
export async function createParleyCore(options: ParleyCoreOptions): Promise<ParleyCore> {
  mkdirSync(options.dataDir, { recursive: true })
  const broker = new EventBroker()
  const mainCopy = new MemoryHistory()
  const detachCopy = mainCopy.attach(broker)
  const history = new BridgedHistory(mainCopy)
  const settings = new SettingsStore(options.dataDir, options.initialSettings)
  const secrets =
    typeof options.secrets === 'function' ? options.secrets(settings) : (options.secrets ?? new FileSecretStore(options.dataDir))
  const keys = new Map<string, string>()
  for (const providerId of await secrets.list()) {
    const key = await secrets.get(providerId)
    if (key) keys.set(providerId, key)
  }
  const models = new ModelPool(() => settings.get(), keys, options.providerFactory)
  // C3: a provider that can't be reached is probed until it answers; then the prompts waiting for it run.
  let agentRef: SessionAgent | undefined
  const reachability = new ReachabilityMonitor({
    probe: async (providerId, signal) => {
      try {
        await models.provider(providerId).listModels(signal)
      } catch (error) {
        // Any answer from the server (even "no such route" or "bad key") means it can be reached.
        if (classifyProviderError(error).kind === 'unreachable') throw error
      }
    },
    onBack: () => agentRef?.providerBack(),
    onStatus: (status) => broker.publish({ type: 'provider.status', ...status })
  })
  const agent = new SessionAgent({
    broker,
    history,
    models,
    reachability,
    settings: () => {
      const s = settings.get()
      return { systemPrompt: s.systemPrompt, maxRetries: s.maxRetries }
    }
  })
  agentRef = agent
  const sessionFile = new SessionFile(options.dataDir)
  const detachSessions = sessionFile.attach(agent.sessions, broker)
  const service = new ParleyService({ agent, broker, history, settings, secrets, keys, models, reachability })
  return {
    service,
    agent,
    reachability,
    broker,
    settings,
    secrets,
    async shutdown() {
      reachability.dispose()
      await agent.shutdown()
      detachSessions()
      detachCopy()
    }
  }
}
