import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { settingsSchema } from '../../../shared'
import { createParleyCore, type ParleyCore } from '../parley-core'
import type { Provider, ProviderEvent, ProviderRequest } from '../providers/provider'
import { MemorySecretStore } from '../settings/secret-store'

/** The prompt the echo model never answers: its turn stays busy until it is cancelled or main shuts down. */
export const promptNeverAnswered = 'wait forever'

/** A model that answers `echo: <the last user message>` at once and records every request it was sent. */
export class EchoModel implements Provider {
  readonly id = 'echo'
  readonly requests: ProviderRequest[] = []

  async *stream(request: ProviderRequest, signal: AbortSignal): AsyncIterable<ProviderEvent> {
    this.requests.push(request)
    const last = request.messages.filter((m) => m.role === 'user').at(-1)
    if (last?.content === promptNeverAnswered) {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))
      return
    }
    yield { type: 'text', text: `echo: ${last?.content ?? ''}` }
    yield { type: 'finish', reason: 'end_turn' }
  }

  async listModels(): Promise<string[]> {
    return ['echo']
  }

  /** The chat requests, without the title requests (which use the `title` model). */
  chatRequests(): ProviderRequest[] {
    return this.requests.filter((r) => r.model !== 'title')
  }
}

export interface EchoCore {
  core: ParleyCore
  model: EchoModel
  /** Shuts the core down and deletes its data folder. */
  close(): Promise<void>
}

/** A real ParleyCore in a fresh temporary folder, with the echo model and keys in memory: for the bridge tests. */
export async function startEchoCore(options: { recoveryHoldMs?: number } = {}): Promise<EchoCore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bridge-'))
  const model = new EchoModel()
  const core = await createParleyCore({
    dataDir,
    secrets: new MemorySecretStore(),
    providerFactory: () => model,
    ...(options.recoveryHoldMs === undefined ? {} : { recoveryHoldMs: options.recoveryHoldMs }),
    initialSettings: settingsSchema.parse({
      providers: [{ id: 'echo', kind: 'openai', name: 'Echo', baseUrl: 'http://127.0.0.1:9/v1' }],
      models: { large: { providerId: 'echo', model: 'chat' }, small: { providerId: 'echo', model: 'title' } }
    })
  })
  return {
    core,
    model,
    async close() {
      await core.shutdown()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
