import type { SecretStore } from './secret-store'
import type { SettingsStore } from './settings-store'

/** The part of Electron's safeStorage that Parley uses, as a port, so this module runs (and is tested) in plain Node. */
export interface OsEncryption {
  isAsyncEncryptionAvailable(): Promise<boolean>
  encryptStringAsync(plainText: string): Promise<Buffer>
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>
  /** Linux only: which backend protects the key ('basic_text' means it is only obfuscated). */
  getSelectedStorageBackend?(): string
}

/**
 * API keys encrypted by the OS keychain (Electron's async safeStorage) and kept, base64, in the settings file. The
 * plain key exists only in main's memory; it is never written, and never sent to the renderer or a log.
 */
export class EncryptedSecretStore implements SecretStore {
  readonly weakness: string | undefined

  constructor(
    private readonly settings: SettingsStore,
    private readonly os: OsEncryption,
    platform: NodeJS.Platform = process.platform
  ) {
    const backend = platform === 'linux' ? os.getSelectedStorageBackend?.() : undefined
    this.weakness =
      backend === 'basic_text'
        ? 'No keyring was found (Linux reports the basic_text backend), so API keys are only obfuscated on disk, not encrypted. Install and unlock a keyring such as GNOME Keyring or KWallet to protect them.'
        : undefined
  }

  async get(providerId: string): Promise<string | undefined> {
    const stored = this.settings.encryptedKey(providerId)
    if (!stored) return undefined
    try {
      const { result, shouldReEncrypt } = await this.os.decryptStringAsync(Buffer.from(stored, 'base64'))
      if (shouldReEncrypt) await this.set(providerId, result)
      return result
    } catch {
      // A key encrypted on another machine or by another user can't be read back: treat it as not set.
      return undefined
    }
  }

  async set(providerId: string, key: string | null): Promise<void> {
    if (!key) {
      this.settings.setEncryptedKey(providerId, null)
      return
    }
    if (!(await this.os.isAsyncEncryptionAvailable())) {
      throw new Error('The OS keychain is not available, so Parley cannot store an API key safely right now.')
    }
    const encrypted = await this.os.encryptStringAsync(key)
    this.settings.setEncryptedKey(providerId, encrypted.toString('base64'))
  }

  async list(): Promise<string[]> {
    return this.settings.encryptedKeyIds()
  }
}
