import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EncryptedSecretStore, type OsEncryption } from './encrypted-secret-store'
import { SettingsStore } from './settings-store'

/** A stand-in for safeStorage: reversible, and visibly not the plain text. */
class FakeOs implements OsEncryption {
  available = true
  rotate = false
  backend = 'gnome_libsecret'
  async isAsyncEncryptionAvailable() {
    return this.available
  }
  async encryptStringAsync(plain: string) {
    return Buffer.from(`enc:${[...plain].reverse().join('')}`)
  }
  async decryptStringAsync(encrypted: Buffer) {
    const text = encrypted.toString()
    if (!text.startsWith('enc:')) throw new Error('cannot decrypt')
    return { result: [...text.slice(4)].reverse().join(''), shouldReEncrypt: this.rotate }
  }
  getSelectedStorageBackend() {
    return this.backend
  }
}

const setup = () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-secrets-'))
  const settings = new SettingsStore(dataDir)
  const os = new FakeOs()
  return { dataDir, settings, os, store: new EncryptedSecretStore(settings, os, 'linux') }
}

describe('EncryptedSecretStore (keys through the OS keychain port)', () => {
  it('keeps only the encrypted key, base64, in the settings file, and reads it back', async () => {
    const { settings, store, dataDir, os } = setup()
    await store.set('openai', 'sk-very-secret')
    const file = readFileSync(settings.path, 'utf8')
    expect(file).not.toContain('sk-very-secret')
    expect(JSON.parse(file).encryptedKeys.openai).toBe((await os.encryptStringAsync('sk-very-secret')).toString('base64'))
    expect(await store.get('openai')).toBe('sk-very-secret')
    expect(await store.list()).toEqual(['openai'])
    // A restart reads the same file.
    expect(await new EncryptedSecretStore(new SettingsStore(dataDir), os, 'linux').get('openai')).toBe('sk-very-secret')
  })

  it('clears a key, and other settings changes keep the keys', async () => {
    const { settings, store } = setup()
    await store.set('openai', 'sk-1')
    settings.update({ systemPrompt: 'Be brief.' })
    expect(await store.get('openai')).toBe('sk-1')
    await store.set('openai', null)
    expect(await store.get('openai')).toBeUndefined()
    expect(JSON.parse(readFileSync(settings.path, 'utf8')).encryptedKeys).toBeUndefined()
  })

  it('refuses to store a key when the keychain is not available, and stores nothing', async () => {
    const { settings, store, os } = setup()
    os.available = false
    await expect(store.set('openai', 'sk-1')).rejects.toThrow(/keychain is not available/)
    expect(settings.encryptedKeyIds()).toEqual([])
  })

  it('re-encrypts a key when the OS asks, and treats an unreadable key as not set', async () => {
    const { settings, store, os } = setup()
    await store.set('openai', 'sk-1')
    os.rotate = true
    expect(await store.get('openai')).toBe('sk-1')
    settings.setEncryptedKey('other', Buffer.from('garbage').toString('base64'))
    os.rotate = false
    expect(await store.get('other')).toBeUndefined()
  })

  it('warns when Linux reports the basic_text backend, and only then', () => {
    const { settings } = setup()
    const os = new FakeOs()
    os.backend = 'basic_text'
    expect(new EncryptedSecretStore(settings, os, 'linux').weakness).toMatch(/only obfuscated/)
    expect(new EncryptedSecretStore(settings, os, 'darwin').weakness).toBeUndefined()
    os.backend = 'kwallet5'
    expect(new EncryptedSecretStore(settings, os, 'linux').weakness).toBeUndefined()
  })
})
