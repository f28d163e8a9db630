import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { settingsSchema } from '../../../shared'
import { createParleyCore, type ParleyCore, type ParleyCoreOptions } from '../parley-core'
import type { Provider, ProviderEvent, ProviderRequest } from '../providers/provider'
import { MemorySecretStore } from '../settings/secret-store'

/**
 * A real ParleyCore on a data folder (a fresh temporary one by default), whose only provider is `model`: chats use
 * its model `chat`, titles its model `title`. Keys stay in memory. The caller shuts it down.
 */
export function startCoreWith(model: Provider, dataDir = mkdtempSync(join(tmpdir(), 'parley-core-'))): Promise<ParleyCore> {
  return createParleyCore(coreOptionsWith(model, dataDir))
}

/** The options startCoreWith starts its core with, for a caller that starts the core itself (the in-process CLI). */
export function coreOptionsWith(model: Provider, dataDir: string): ParleyCoreOptions {
  return {
    dataDir,
    secrets: new MemorySecretStore(),
    providerFactory: () => model,
    initialSettings: settingsSchema.parse({
      providers: [{ id: model.id, kind: 'openai', name: model.id, baseUrl: 'http://127.0.0.1:9/v1' }],
      models: { large: { providerId: model.id, model: 'chat' }, small: { providerId: model.id, model: 'title' } }
    })
  }
}

/** Answers `answer to <prompt>` (the title model: `title`), and records the chat requests: what each turn read. */
export class RecordingModel implements Provider {
  readonly id = 'recording'
  readonly requests: ProviderRequest[] = []

  async *stream(request: ProviderRequest): AsyncIterable<ProviderEvent> {
    if (request.model !== 'title') this.requests.push(request)
    yield { type: 'text', text: request.model === 'title' ? 'title' : `answer to ${request.messages.at(-1)?.content ?? ''}` }
    yield { type: 'finish', reason: 'end_turn' }
  }

  async listModels(): Promise<string[]> {
    return ['chat', 'title']
  }
}
