import { join } from 'node:path'
import { z } from 'zod'
import { readFileIfPresent, writeFileAtomic } from './json-file'

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

/** Browser mode's keys: a JSON file with mode 0600 in the data folder. Not encrypted, and it says so. */
export class FileSecretStore implements SecretStore {
  readonly weakness = 'In browser mode, API keys are stored unencrypted in a file that only your user can read.'
  private readonly path: string

  constructor(dataDir: string) {
    this.path = join(dataDir, 'secrets.json')
  }

  async get(providerId: string): Promise<string | undefined> {
    return this.read()[providerId]
  }

  async set(providerId: string, key: string | null): Promise<void> {
    const keys = this.read()
    if (key) keys[providerId] = key
    else delete keys[providerId]
    writeFileAtomic(this.path, JSON.stringify(keys))
  }

  async list(): Promise<string[]> {
    return Object.keys(this.read())
  }

  private read(): Record<string, string> {
    const text = readFileIfPresent(this.path)
    if (text === undefined) return {}
    try {
      const parsed = fileSchema.safeParse(JSON.parse(text))
      return parsed.success ? { ...parsed.data } : {}
    } catch {
      return {}
    }
  }
}
