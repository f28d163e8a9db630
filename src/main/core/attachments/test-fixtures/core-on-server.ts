import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { settingsSchema, type AttachmentUpload, type ParleyEvent, type RunComplete } from '../../../../shared'
import { createParleyCore, type ParleyCore } from '../../parley-core'
import { MemorySecretStore } from '../../settings/secret-store'

/**
 * A real core on a data folder whose one provider is the scripted server, as `kind` speaks to it; titles are asked of
 * the model `title`, so a test can tell them from the chat's requests.
 */
export function coreOnServer(
  serverUrl: string,
  options: { kind?: 'openai' | 'anthropic'; model?: string; dataDir?: string; attachmentSweepAgeMs?: number } = {}
): Promise<ParleyCore> {
  return createParleyCore({
    dataDir: options.dataDir ?? mkdtempSync(join(tmpdir(), 'parley-att-core-')),
    secrets: new MemorySecretStore(),
    ...(options.attachmentSweepAgeMs === undefined ? {} : { attachmentSweepAgeMs: options.attachmentSweepAgeMs }),
    initialSettings: settingsSchema.parse({
      providers: [{ id: 'scripted', kind: options.kind ?? 'openai', name: 'Scripted', baseUrl: serverUrl }],
      models: { large: { providerId: 'scripted', model: options.model ?? 'large' }, small: { providerId: 'scripted', model: 'title' } }
    })
  })
}

/** Resolves with a run's RunComplete, as the service's subscribers hear it. */
export function completeOf(core: ParleyCore, runId: string): Promise<RunComplete> {
  return new Promise((resolve) => {
    const stop = core.service.subscribe(0, (event: ParleyEvent) => {
      if (event.type === 'run.complete' && event.complete.runId === runId) {
        stop()
        resolve(event.complete)
      }
    })
  })
}

export function uploadOf(name: string, bytes: Buffer, mimeType: string): AttachmentUpload {
  return { name, mimeType, dataBase64: bytes.toString('base64') }
}
