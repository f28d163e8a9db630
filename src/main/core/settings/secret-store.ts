import { join } from 'node:path'
import { z } from 'zod'
import type { DataRecovery } from '../../../shared'
import { loadOrRecover, type Salvaged } from '../data-files/load-or-recover'
import { writeFileAtomic } from './json-file'

/**
 * Where API keys live. Keys never leave main: the renderer only learns whether one is set. The desktop shell
 * encrypts them with the OS keychain (safeStorage); browser mode keeps them in a file only its user can read.
 */
export interface SecretStore {
  get(providerId: string): Promise<string | undefined>
  set(providerId: string, key: string | null): Promise<void>
  /** Which providers have a key. */
  list(): Promise<string[]>
  /** A warning for the settings panel when keys are not really protected, or undefined. */
  readonly weakness?: string
  /** Set when the keys file was damaged at start: what was kept, and where the damaged file was copied. */
  readonly recovery?: DataRecovery | undefined
}

export class MemorySecretStore implements SecretStore {
  private readonly keys = new Map<string, string>()
  async get(providerId: string): Promise<string | undefined> {
    return this.keys.get(providerId)
  }
  async set(providerId: string, key: string | null): Promise<void> {
    if (key) this.keys.set(providerId, key)
    else this.keys.delete(providerId)
  }
  async list(): Promise<string[]> {
    return [...this.keys.keys()]
  }
}

const fileSchema = z.record(z.string(), z.string())

/** The largest keys file Parley reads: a real one is well under a kilobyte per provider. */
const maxSecretsBytes = 4 * 2 ** 20

/**
 * Keeps every key of a keys file that is a string: one bad entry does not cost the others (which the next save
 * would otherwise overwrite with nothing).
 */
export function salvageSecrets(raw: unknown): Salvaged<Record<string, string>> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('it is not an object of keys')
  const keys: Record<string, string> = {}
  let lost = 0
  for (const [providerId, key] of Object.entries(raw)) {
    if (fileSchema.safeParse({ [providerId]: key }).success) keys[providerId] = key as string
    else lost += 1
  }
  const problem = lost > 0 ? `${lost} key${lost === 1 ? ' is' : 's are'} not text` : ''
  return { value: keys, kept: Object.keys(keys).length, lost, problem }
}

/** Browser mode's keys: a JSON file with mode 0600 in the data folder. Not encrypted, and it says so. */
export class FileSecretStore implements SecretStore {
  readonly weakness = 'In browser mode, API keys are stored unencrypted in a file that only your user can read.'
  readonly recovery: DataRecovery | undefined
  private readonly path: string
  private keys: Record<string, string>

  constructor(dataDir: string) {
    this.path = join(dataDir, 'secrets.json')
    const load = loadOrRecover(this.path, { empty: {}, maxBytes: maxSecretsBytes, salvage: salvageSecrets })
    this.keys = load.value
    this.recovery = load.recovery
  }

  async get(providerId: string): Promise<string | undefined> {
    return this.keys[providerId]
  }

  async set(providerId: string, key: string | null): Promise<void> {
    const keys = { ...this.keys }
    if (key) keys[providerId] = key
    else delete keys[providerId]
    writeFileAtomic(this.path, JSON.stringify(keys))
    this.keys = keys
  }

  async list(): Promise<string[]> {
    return Object.keys(this.keys)
  }
}
