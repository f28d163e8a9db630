import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { executableInDist, planLaunch, type Env, type LaunchFacts } from './launch-plan'

const DIR = '/repo/node_modules/electron'

/** Facts for a Linux x64 host whose disk holds exactly `files` (path → text). */
function facts(env: Env = {}, files: Record<string, string> = {}, overrides: Partial<LaunchFacts> = {}): LaunchFacts {
  return {
    env,
    hostPlatform: 'linux',
    hostArch: 'x64',
    electronDir: DIR,
    electronVersion: '45.4.1',
    disk: {
      readText: (path) => files[path] ?? null,
      exists: (path) => path in files
    },
    underRosetta: () => {
      throw new Error('Rosetta is only asked about on macOS')
    },
    ...overrides
  }
}

/** What install.js leaves behind on Linux. */
const INSTALLED = {
  [join(DIR, 'dist', 'version')]: '45.4.1',
  [join(DIR, 'path.txt')]: 'electron',
  [join(DIR, 'dist', 'electron')]: ''
}

describe('planLaunch: already installed (install.js isInstalled)', () => {
  it('is ready when dist/version, path.txt and the executable agree', () => {
    expect(planLaunch(facts({}, INSTALLED))).toMatchObject({ kind: 'ready' })
  })

  it('accepts a "v" before the version in dist/version', () => {
    expect(planLaunch(facts({}, { ...INSTALLED, [join(DIR, 'dist', 'version')]: 'v45.4.1' })).kind).toBe('ready')
  })

  it('downloads again when dist holds another version', () => {
    expect(planLaunch(facts({}, { ...INSTALLED, [join(DIR, 'dist', 'version')]: '44.0.0' })).kind).toBe('download')
  })

  it('downloads when path.txt is missing or names another executable', () => {
    const { [join(DIR, 'path.txt')]: _pathTxt, ...withoutPathTxt } = INSTALLED
    expect(planLaunch(facts({}, withoutPathTxt)).kind).toBe('download')
    expect(planLaunch(facts({}, { ...INSTALLED, [join(DIR, 'path.txt')]: 'electron.exe' })).kind).toBe('download')
  })

  it('downloads when the executable itself is gone', () => {
    const { [join(DIR, 'dist', 'electron')]: _binary, ...withoutBinary } = INSTALLED
    expect(planLaunch(facts({}, withoutBinary)).kind).toBe('download')
  })

  it('checks ELECTRON_OVERRIDE_DIST_PATH instead of dist/<executable>, as install.js does', () => {
    const { [join(DIR, 'dist', 'electron')]: _binary, ...withoutBinary } = INSTALLED
    const env = { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' }
    expect(planLaunch(facts(env, { ...withoutBinary, '/opt/electron': '' })).kind).toBe('ready')
    expect(planLaunch(facts(env, INSTALLED)).kind).toBe('download')
  })
})

describe('planLaunch: what to download', () => {
  it('fetches this version for this platform from GitHub by default, into dist', () => {
    expect(planLaunch(facts())).toEqual({
      kind: 'download',
      version: '45.4.1',
      platform: 'linux',
      arch: 'x64',
      url: 'https://github.com/electron/electron/releases/download/v45.4.1/electron-v45.4.1-linux-x64.zip',
      distDir: join(DIR, 'dist'),
      typeDefinitionsDir: join(DIR, 'dist'),
      platformPath: 'electron',
      useBundledChecksums: true,
      cacheRoot: undefined,
      skipCache: false
    })
  })

  it('uses ELECTRON_MIRROR with @electron/get\'s layout: mirror + "v" + version + "/" + file', () => {
    const plan = planLaunch(facts({ ELECTRON_MIRROR: 'https://npmmirror.com/mirrors/electron/' }))
    expect(plan).toMatchObject({ url: 'https://npmmirror.com/mirrors/electron/v45.4.1/electron-v45.4.1-linux-x64.zip' })
  })

  it('lets .npmrc (npm_config_electron_mirror) win over ELECTRON_MIRROR, as @electron/get does', () => {
    const env = { ELECTRON_MIRROR: 'https://env.example/', npm_config_electron_mirror: 'https://npmrc.example/' }
    expect(planLaunch(facts(env))).toMatchObject({ url: expect.stringMatching(/^https:\/\/npmrc\.example\/v45/) as string })
  })

  it('honours ELECTRON_CUSTOM_DIR (with {{ version }}) and ELECTRON_CUSTOM_FILENAME', () => {
    const env = {
      ELECTRON_MIRROR: 'https://m.example/',
      ELECTRON_CUSTOM_DIR: 'release-{{ version }}',
      ELECTRON_CUSTOM_FILENAME: 'electron.zip'
    }
    expect(planLaunch(facts(env))).toMatchObject({ url: 'https://m.example/release-45.4.1/electron.zip' })
  })

  it('takes the platform and arch from ELECTRON_INSTALL_* first, then npm_config_*', () => {
    const plan = planLaunch(facts({ ELECTRON_INSTALL_PLATFORM: 'win32', npm_config_platform: 'darwin', npm_config_arch: 'arm64' }))
    expect(plan).toMatchObject({ platform: 'win32', arch: 'arm64', platformPath: 'electron.exe' })
    expect(plan).toMatchObject({ url: expect.stringMatching(/electron-v45\.4\.1-win32-arm64\.zip$/) as string })
  })

  it('names Node\'s arm as armv7l, as @electron/get does', () => {
    expect(planLaunch(facts({}, {}, { hostArch: 'arm' }))).toMatchObject({ arch: 'armv7l' })
  })

  it('fetches arm64 for an x64 Node under Rosetta on macOS', () => {
    const mac = { hostPlatform: 'darwin', underRosetta: () => true }
    expect(planLaunch(facts({}, {}, mac))).toMatchObject({ arch: 'arm64', platformPath: 'Electron.app/Contents/MacOS/Electron' })
    // An explicit npm_config_arch is obeyed, and Rosetta is not asked.
    const asked = { hostPlatform: 'darwin', underRosetta: () => expect.fail('asked about Rosetta') }
    expect(planLaunch(facts({ npm_config_arch: 'x64' }, {}, asked))).toMatchObject({ arch: 'x64' })
  })

  it('verifies against the release\'s SHASUMS256.txt only when electron_use_remote_checksums is set', () => {
    expect(planLaunch(facts({ electron_use_remote_checksums: '1' }))).toMatchObject({ useBundledChecksums: false })
    expect(planLaunch(facts({ npm_config_electron_use_remote_checksums: 'true' }))).toMatchObject({ useBundledChecksums: false })
  })

  it('passes electron_config_cache and force_no_cache on', () => {
    expect(planLaunch(facts({ electron_config_cache: '/tmp/cache', force_no_cache: 'true' }))).toMatchObject({
      cacheRoot: '/tmp/cache',
      skipCache: true
    })
  })

  it('looks for a bundled electron.d.ts under ELECTRON_OVERRIDE_DIST_PATH but still extracts into dist', () => {
    expect(planLaunch(facts({ ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' }))).toMatchObject({
      distDir: join(DIR, 'dist'),
      typeDefinitionsDir: '/opt/electron'
    })
  })
})

describe('planLaunch: refusals', () => {
  it('does not download when ELECTRON_SKIP_BINARY_DOWNLOAD is set, and says how to proceed', () => {
    const plan = planLaunch(facts({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }))
    expect(plan.kind).toBe('refuse')
    if (plan.kind !== 'refuse') return
    expect(plan.paragraph).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD')
    expect(plan.paragraph).toContain('npm run web')
  })

  it('is still ready with ELECTRON_SKIP_BINARY_DOWNLOAD when the binary is there', () => {
    expect(planLaunch(facts({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, INSTALLED)).kind).toBe('ready')
  })

  it('refuses a platform Electron does not publish', () => {
    const plan = planLaunch(facts({}, {}, { hostPlatform: 'aix' }))
    expect(plan).toMatchObject({ kind: 'refuse', paragraph: expect.stringContaining('"aix"') as string })
    expect(executableInDist('aix')).toBeNull()
  })

  it('trusts ELECTRON_EXEC_PATH when it exists (electron-vite runs it and never reads path.txt)', () => {
    expect(planLaunch(facts({ ELECTRON_EXEC_PATH: '/opt/e/electron' }, { '/opt/e/electron': '' })).kind).toBe('ready')
    expect(planLaunch(facts({ ELECTRON_EXEC_PATH: '/opt/e/electron' }))).toMatchObject({
      kind: 'refuse',
      paragraph: expect.stringContaining('/opt/e/electron') as string
    })
  })
})
