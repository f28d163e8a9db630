import { dirname, join, resolve } from 'node:path'
import { readdirSync, readFileSync } from 'node:fs'
import { FuseV1Options } from '@electron/fuses'
import { FileMatcher } from 'app-builder-lib/out/fileMatcher'
import { doMergeConfigs, getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config'
import { DebugLogger } from 'builder-util'
import { describe, expect, it } from 'vitest'
import { parleyBuilderConfig } from './builder-config'
import { PACKAGED_FILES, UNPACKED_FROM_ASAR } from './files'
import { FUSES, FUSES_LEFT_AT_DEFAULT, builderFuseOptions, fuseValue, type BuilderFuse } from './fuses'

const projectDir = resolve(import.meta.dirname, '../../..')

type Filter = ReturnType<FileMatcher['createFilter']>
type Stat = Parameters<Filter>[1]
const FOLDER = { isDirectory: () => true } as Stat
const FILE = { isDirectory: () => false } as Stat

/** electron-builder's own glob filter over `patterns`. */
function filterOf(patterns: readonly string[]): Filter {
  return new FileMatcher(projectDir, projectDir, (text) => text, [...patterns]).createFilter()
}

/** Whether `files` takes this file: electron-builder walks down the tree and never enters a folder it refuses. */
function packs(patterns: readonly string[], relativePath: string): boolean {
  const filter = filterOf(patterns)
  const folders = relativePath.split('/').slice(0, -1)
  for (let depth = 1; depth <= folders.length; depth++) {
    if (!filter(join(projectDir, ...folders.slice(0, depth)), FOLDER)) return false
  }
  return filter(join(projectDir, relativePath), FILE)
}

/** Whether `asarUnpack` takes this file: the asar packer asks about each file it packs. */
function unpacks(patterns: readonly string[], relativePath: string): boolean {
  return filterOf(patterns)(join(projectDir, relativePath), FILE)
}

describe('the packaged app’s fuses (issue 13, finding 10)', () => {
  it('sets every security fuse the issue names the safe way', () => {
    const safe: Array<[BuilderFuse, boolean]> = [
      ['RunAsNode', false],
      ['EnableNodeOptionsEnvironmentVariable', false],
      ['EnableNodeCliInspectArguments', false],
      ['OnlyLoadAppFromAsar', true],
      ['EnableEmbeddedAsarIntegrityValidation', true],
      ['EnableCookieEncryption', true]
    ]
    for (const [fuse, value] of safe) expect(fuseValue(fuse), fuse).toBe(value)
    expect(builderFuseOptions()).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true
    })
  })

  it('decides every fuse @electron/fuses knows, once, with a reason', () => {
    const known = Object.keys(FuseV1Options).filter((key) => Number.isNaN(Number(key)))
    const decided = [...FUSES.map((row) => row.fuse), ...FUSES_LEFT_AT_DEFAULT.map((row) => row.fuse)]
    expect([...decided].sort()).toEqual([...known].sort())
    for (const row of [...FUSES, ...FUSES_LEFT_AT_DEFAULT]) expect(row.why.length, row.fuse).toBeGreaterThan(40)
  })

  it('passes every decided fuse to electron-builder and nothing else', () => {
    expect(Object.keys(builderFuseOptions())).toHaveLength(FUSES.length)
    expect(Object.values(builderFuseOptions())).toEqual(FUSES.map((row) => row.value))
  })
})

describe('ASAR', () => {
  it('packs the app into one archive with integrity on and native modules unpacked', () => {
    const config = parleyBuilderConfig()
    expect(config.asar).toBe(true)
    expect(config.disableAsarIntegrity).toBe(false)
    expect(config.asarUnpack).toEqual([...UNPACKED_FROM_ASAR])
    for (const binding of [
      'node_modules/@lmdb/lmdb-linux-x64/node.napi.glibc.node',
      'node_modules/@lmdb/lmdb-win32-x64/node.napi.node',
      'node_modules/@lmdb/lmdb-darwin-arm64/node.napi.node',
      'node_modules/@msgpackr-extract/msgpackr-extract-linux-x64/node.napi.glibc.node'
    ]) {
      expect(unpacks(UNPACKED_FROM_ASAR, binding), binding).toBe(true)
    }
    for (const script of ['node_modules/lmdb/dist/index.cjs', 'out/main/index.js', 'package.json']) {
      expect(unpacks(UNPACKED_FROM_ASAR, script), script).toBe(false)
    }
  })
})

describe('the files in the package', () => {
  it('holds the built main, preload and renderer and package.json', () => {
    for (const file of [
      'out/main/index.js',
      'out/main/chunks/parley-core-abc123.js',
      'out/preload/index.cjs',
      'out/renderer/index.html',
      'out/renderer/assets/index-Hj81HApQ.js',
      'out/renderer/assets/KaTeX_Main-Regular-B22Nviop.woff2',
      'resources/tray-icon.png',
      'resources/tray-icon@2x.png',
      'resources/tray-iconTemplate.png',
      'resources/tray-iconTemplate@2x.png',
      'package.json'
    ]) {
      expect(packs(PACKAGED_FILES, file), file).toBe(true)
    }
  })

  it('takes the tray icons from a folder electron-builder does not leave out (its build-resources folder)', () => {
    const icons = readdirSync(join(projectDir, 'resources')).filter((name) => name.startsWith('tray-icon'))
    expect(icons.length).toBeGreaterThan(0)
    for (const icon of icons) expect(packs(PACKAGED_FILES, `resources/${icon}`), icon).toBe(true)
    expect(parleyBuilderConfig().directories?.buildResources).not.toBe('resources')
  })

  it('leaves out source, tests, end-to-end specs, benchmarks, scripts and source maps', () => {
    for (const file of [
      'src/main/index.ts',
      'src/main/packaging/fuses.test.ts',
      'src/renderer/src/App.tsx',
      'e2e/chat.spec.ts',
      'bench/run.ts',
      'scripts/electron/ensure-electron.ts',
      'test/fixtures/whatever.json',
      'docs/decisions.md',
      'electron-builder.config.ts',
      'out/main/index.js.map',
      'out/renderer/assets/index-Hj81HApQ.js.map',
      'dist/Parley-0.1.0.AppImage',
      '.parley-data/sessions.json'
    ]) {
      expect(packs(PACKAGED_FILES, file), file).toBe(false)
    }
  })
})

describe('the targets', () => {
  it('builds AppImage and deb on Linux, dmg on macOS, nsis on Windows, and publishes nowhere', () => {
    const config = parleyBuilderConfig()
    expect(config.linux?.target).toEqual(['AppImage', 'deb'])
    expect(config.mac?.target).toEqual(['dmg'])
    expect(config.win?.target).toEqual(['nsis'])
    expect(config.publish).toBeNull()
  })
})

describe('the config electron-builder reads', () => {
  const packageJson = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>
    main: string
    build?: unknown
  }

  it('is `npm run dist`: a build, then electron-builder with electron-builder.config.ts', () => {
    const dist = packageJson.scripts['dist'] ?? ''
    expect(dist).toMatch(/^electron-vite build && electron-builder\b/)
    expect(dist).toContain('--config electron-builder.config.ts')
    // A `build` key in package.json would be a second config that electron-builder could read instead.
    expect(packageJson.build).toBeUndefined()
  })

  it('is the one made from the tested decisions, loaded and validated by electron-builder itself', async () => {
    const loaded = await getConfig(projectDir, 'electron-builder.config.ts', null)
    // getConfig normalises (a list of globs becomes one file set); the same normalising of ours must give the same.
    expect(loaded).toEqual(doMergeConfigs([parleyBuilderConfig()]))
    await expect(validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined()
    // Loading electron-builder and its JSON schema takes seconds, and many more on a busy machine.
  }, 90_000)

  it('packs the file package.json names as main', () => {
    expect(packs(PACKAGED_FILES, packageJson.main.replace(/^\.\//, ''))).toBe(true)
    expect(dirname(packageJson.main)).toBe('./out/main')
  })
})
