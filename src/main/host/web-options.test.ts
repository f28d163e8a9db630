import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { defaultSettings } from '../../shared'
import { readWebOptions, UsageError, wantsHelp, webHelp } from './web-options'

describe('the options of npm run web', () => {
  it('--help and -h ask for help, wherever they are; the help names every flag and variable', () => {
    expect(wantsHelp(['--help'])).toBe(true)
    expect(wantsHelp(['--port', '1', '-h'])).toBe(true)
    expect(wantsHelp(['--nope', '--help'])).toBe(true)
    expect(wantsHelp(['--port', '1'])).toBe(false)
    for (const word of ['--port', '--data-dir', '--provider-url', '--model', '--small-model', 'PARLEY_TOKEN', 'PARLEY_RECOVERY_HOLD_MS', '--help']) {
      expect(webHelp).toContain(word)
    }
  })

  it('node web.js --help prints the help on stdout and exits 0 (not "Unknown option", exit 2)', () => {
    const entry = fileURLToPath(new URL('../web.ts', import.meta.url))
    const result = spawnSync(process.execPath, ['--import', 'tsx', entry, '--help'], { encoding: 'utf8', timeout: 15_000 })
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout).toBe(webHelp)
  })

  it('defaults: the kept port and token (none asked for), ~/.parley, the default settings', () => {
    expect(readWebOptions([], {})).toEqual({
      port: undefined,
      dataDir: join(homedir(), '.parley'),
      dataSource: 'default',
      initialSettings: defaultSettings(),
      customSettings: false,
      token: undefined,
      recoveryHoldMs: 2_000
    })
  })

  it('says where the data folder was named', () => {
    expect(readWebOptions(['--data-dir', '/tmp/a'], { PARLEY_DATA_DIR: '/tmp/b' }).dataSource).toBe('--data-dir')
    expect(readWebOptions([], { PARLEY_DATA_DIR: '/tmp/b' }).dataSource).toBe('PARLEY_DATA_DIR')
    expect(readWebOptions(['--data-dir', join(homedir(), '.parley')], {}).dataSource).toBe('default')
  })

  it('node web.js refuses a folder named outright that holds other files and none of Parley\'s, writing nothing there (exit 2)', () => {
    const entry = fileURLToPath(new URL('../web.ts', import.meta.url))
    for (const [args, env, source] of [
      [['--data-dir'], {}, '--data-dir'],
      [[], { PARLEY_DATA_DIR: '' }, 'PARLEY_DATA_DIR']
    ] as const) {
      const folder = mkdtempSync(join(tmpdir(), 'parley-someone-else-'))
      writeFileSync(join(folder, 'notes.txt'), 'mine')
      const named = args.length > 0 ? [...args, folder] : []
      const variables = 'PARLEY_DATA_DIR' in env ? { PARLEY_DATA_DIR: folder } : {}
      const result = spawnSync(process.execPath, ['--import', 'tsx', entry, ...named, '--port', '0'], {
        encoding: 'utf8',
        timeout: 15_000,
        env: { ...process.env, PARLEY_DATA_DIR: '', ...variables }
      })
      expect(result.status, result.stderr).toBe(2)
      expect(result.stderr).toContain(`${folder} (from ${source}) is not a Parley data folder: it holds other files (notes.txt)`)
      expect(result.stdout).toBe('')
      expect(readdirSync(folder)).toEqual(['notes.txt'])
    }
  })

  it('flags win over variables, and variables over defaults', () => {
    const env = { PARLEY_PORT: '5000', PARLEY_DATA_DIR: '/tmp/from-env', PARLEY_MODEL: 'env-model', PARLEY_TOKEN: 't'.repeat(20) }
    const options = readWebOptions(['--port', '6000', '--data-dir', 'relative/dir'], env)
    expect(options.port).toBe(6000)
    expect(options.dataDir).toBe(resolve('relative/dir'))
    expect(options.initialSettings.models.large.model).toBe('env-model')
    expect(options.token).toBe('t'.repeat(20))
    expect(readWebOptions([], { PARLEY_PORT: '' }).port).toBeUndefined()
    expect(readWebOptions([], { PARLEY_PORT: '0' }).port).toBe(0)
  })

  it('A8: PARLEY_RECOVERY_HOLD_MS sets how long recovered prompts wait for a page (0: not at all)', () => {
    expect(readWebOptions([], { PARLEY_RECOVERY_HOLD_MS: '500' }).recoveryHoldMs).toBe(500)
    expect(readWebOptions([], { PARLEY_RECOVERY_HOLD_MS: '0' }).recoveryHoldMs).toBe(0)
    expect(readWebOptions([], { PARLEY_RECOVERY_HOLD_MS: '' }).recoveryHoldMs).toBe(2_000)
  })

  it('a provider URL and models make the initial settings of a new data folder', () => {
    const options = readWebOptions(
      ['--provider-url', 'http://127.0.0.1:9999/v1', '--model', 'large', '--small-model', 'small'],
      {}
    )
    expect(options.customSettings).toBe(true)
    expect(options.initialSettings).toMatchObject({
      providers: [{ id: 'ollama', kind: 'openai', baseUrl: 'http://127.0.0.1:9999/v1' }],
      models: { large: { providerId: 'ollama', model: 'large' }, small: { providerId: 'ollama', model: 'small' } }
    })
    expect(readWebOptions([], { PARLEY_SMALL_MODEL: 'tiny' }).initialSettings.models.small?.model).toBe('tiny')
  })

  it('refuses bad flags and values with a UsageError that fits on one line', () => {
    const bad: [string[], Record<string, string>][] = [
      [['--port', 'eighty'], {}],
      [['--port', '70000'], {}],
      [[], { PARLEY_PORT: '-1' }],
      [['--nope'], {}],
      [['stray'], {}],
      [['--port'], {}],
      [['--provider-url', 'not a url'], {}],
      [['--provider-url', 'file:///etc/passwd'], {}],
      [['--model', 'x'.repeat(500)], {}],
      [[], { PARLEY_TOKEN: 'short' }],
      [[], { PARLEY_TOKEN: 'has spaces in it, which no subprotocol allows' }],
      [[], { PARLEY_RECOVERY_HOLD_MS: '2s' }],
      [[], { PARLEY_RECOVERY_HOLD_MS: '-1' }],
      [[], { PARLEY_RECOVERY_HOLD_MS: '60001' }],
      [[], { PARLEY_RECOVERY_HOLD_MS: '1.5' }]
    ]
    for (const [args, env] of bad) {
      let thrown: unknown
      try {
        readWebOptions(args, env)
      } catch (error) {
        thrown = error
      }
      expect(thrown, JSON.stringify([args, env])).toBeInstanceOf(UsageError)
      expect((thrown as Error).message).not.toContain('\n')
    }
  })
})
