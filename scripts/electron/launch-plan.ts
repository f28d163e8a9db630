// What `npm start` must do about Electron's binary before electron-vite launches it, decided without touching the
// disk or the network. Every rule here copies node_modules/electron/install.js (electron 45) or the mirror rules of
// @electron/get 5, so the binary we fetch is the one `require('electron')` would have fetched.
import { join } from 'node:path'
import { refusalText } from './failure-text'

export type Env = Readonly<Record<string, string | undefined>>

/** The little the plan needs to know about the disk; the runner reads it, the tests fake it. */
export interface Disk {
  /** The file's text, or null when it cannot be read. */
  readText(path: string): string | null
  exists(path: string): boolean
}

export interface LaunchFacts {
  env: Env
  /** `process.platform` / `process.arch` of the Node running the launcher. */
  hostPlatform: string
  hostArch: string
  /** The electron package's folder (node_modules/electron, or PARLEY_ELECTRON_DIR in tests). */
  electronDir: string
  /** The `version` of that folder's package.json. */
  electronVersion: string
  disk: Disk
  /** Asked only on macOS, as install.js does: whether this x64 Node runs under Rosetta on an arm64 Mac. */
  underRosetta(): boolean
}

export interface Download {
  kind: 'download'
  version: string
  platform: string
  arch: string
  /** Where @electron/get will fetch the zip from, for the progress line and the failure paragraph. */
  url: string
  /** `node_modules/electron/dist`: install.js extracts there even when ELECTRON_OVERRIDE_DIST_PATH is set. */
  distDir: string
  /** Where install.js looks for a bundled electron.d.ts after extracting (the override path, when set). */
  typeDefinitionsDir: string
  /** What path.txt must hold: the executable's path inside dist. */
  platformPath: string
  /** Verify against the package's checksums.json unless the user asked for the release's SHASUMS256.txt. */
  useBundledChecksums: boolean
  /** electron_config_cache; undefined means @electron/get's default cache folder. */
  cacheRoot: string | undefined
  /** force_no_cache=true: fetch again even when the cache has the zip. */
  skipCache: boolean
}

export type LaunchPlan =
  | { kind: 'ready'; reason: string }
  | Download
  | { kind: 'refuse'; paragraph: string }

const ELECTRON_RELEASES = 'https://github.com/electron/electron/releases/download/'
const ELECTRON_NIGHTLIES = 'https://github.com/electron/nightlies/releases/download/'

/** install.js's getPlatformPath: the executable inside dist, or null where Electron publishes no build. */
export function executableInDist(platform: string): string | null {
  switch (platform) {
    case 'mas':
    case 'darwin':
      return 'Electron.app/Contents/MacOS/Electron'
    case 'freebsd':
    case 'openbsd':
    case 'linux':
      return 'electron'
    case 'win32':
      return 'electron.exe'
    default:
      return null
  }
}

/** The first non-empty value, as install.js's and @electron/get's `a || b || c` chains read the environment. */
function firstSet(...values: (string | undefined)[]): string | undefined {
  return values.find((value) => value !== undefined && value !== '')
}

/**
 * @electron/get's mirrorVar: a mirror option from .npmrc (as npm exports it), package.json's config, or the
 * environment, in that order. `name` is camelCase, e.g. `customDir`.
 */
export function mirrorSetting(env: Env, name: string): string | undefined {
  const snake = name.replace(/([a-z])([A-Z])/g, (_, a: string, b: string) => `${a}_${b}`).toLowerCase()
  return firstSet(
    env[`npm_config_electron_${name.toLowerCase()}`],
    env[`NPM_CONFIG_ELECTRON_${snake.toUpperCase()}`],
    env[`npm_config_electron_${snake}`],
    env[`npm_package_config_electron_${name}`],
    env[`npm_package_config_electron_${snake}`],
    env[`ELECTRON_${snake.toUpperCase()}`]
  )
}

/** The version @electron/get downloads: ELECTRON_CUSTOM_VERSION (and friends) wins over the package's version. */
export function artifactVersion(env: Env, packageVersion: string): string {
  const version = mirrorSetting(env, 'customVersion') ?? packageVersion
  return version.replace(/^v/, '')
}

/** @electron/get's getNodeArch: Node's `arm` is published as armv7l. */
function artifactArch(arch: string): string {
  return arch === 'arm' ? 'armv7l' : arch
}

/** @electron/get's getArtifactRemoteURL for the `electron` artifact: `${mirror}${dir}/${file}`. */
export function downloadUrl(env: Env, version: string, platform: string, arch: string): string {
  const tag = `v${version}`
  const base = version.includes('nightly')
    ? (mirrorSetting(env, 'nightlyMirror') ?? ELECTRON_NIGHTLIES)
    : (mirrorSetting(env, 'mirror') ?? ELECTRON_RELEASES)
  const dir = (mirrorSetting(env, 'customDir') ?? tag).replace('{{ version }}', version)
  const file = mirrorSetting(env, 'customFilename') ?? `electron-${tag}-${platform}-${arch}.zip`
  return `${base}${dir}/${file}`
}

/** install.js's isInstalled, given the executable's path inside dist. */
export function isInstalled(facts: LaunchFacts, platformPath: string): boolean {
  const { disk, electronDir, electronVersion, env } = facts
  const installedVersion = disk.readText(join(electronDir, 'dist', 'version'))
  if (installedVersion === null || installedVersion.replace(/^v/, '') !== electronVersion) return false
  if (disk.readText(join(electronDir, 'path.txt')) !== platformPath) return false
  const executable = firstSet(env.ELECTRON_OVERRIDE_DIST_PATH) ?? join(electronDir, 'dist', platformPath)
  return disk.exists(executable)
}

export function planLaunch(facts: LaunchFacts): LaunchPlan {
  const { env, electronDir, electronVersion } = facts

  // electron-vite runs ELECTRON_EXEC_PATH when it is set and never reads path.txt, so dist does not matter then.
  const execPath = firstSet(env.ELECTRON_EXEC_PATH)
  if (execPath !== undefined) {
    if (facts.disk.exists(execPath)) return { kind: 'ready', reason: `ELECTRON_EXEC_PATH (${execPath})` }
    return { kind: 'refuse', paragraph: refusalText({ kind: 'missing-exec-path', execPath }) }
  }

  // install.js names the platform twice, and not quite alike: path.txt from os.platform(), the zip from
  // process.platform. They are the same string in Node, so one host value serves both.
  const platform = firstSet(env.ELECTRON_INSTALL_PLATFORM, env.npm_config_platform) ?? facts.hostPlatform
  const platformPath = executableInDist(platform)
  if (platformPath === null) {
    return { kind: 'refuse', paragraph: refusalText({ kind: 'no-build', platform, version: electronVersion }) }
  }
  if (isInstalled(facts, platformPath)) return { kind: 'ready', reason: join(electronDir, 'dist', platformPath) }

  if (firstSet(env.ELECTRON_SKIP_BINARY_DOWNLOAD) !== undefined) {
    return {
      kind: 'refuse',
      paragraph: refusalText({ kind: 'download-skipped', version: electronVersion, distDir: join(electronDir, 'dist') })
    }
  }

  let arch = firstSet(env.ELECTRON_INSTALL_ARCH, env.npm_config_arch) ?? facts.hostArch
  if (
    platform === 'darwin' &&
    facts.hostPlatform === 'darwin' &&
    arch === 'x64' &&
    env.npm_config_arch === undefined &&
    facts.underRosetta()
  ) {
    arch = 'arm64'
  }
  arch = artifactArch(arch)
  const version = artifactVersion(env, electronVersion)
  const distDir = join(electronDir, 'dist')
  return {
    kind: 'download',
    version,
    platform,
    arch,
    url: downloadUrl(env, version, platform, arch),
    distDir,
    typeDefinitionsDir: firstSet(env.ELECTRON_OVERRIDE_DIST_PATH) ?? distDir,
    platformPath,
    useBundledChecksums: firstSet(env.electron_use_remote_checksums, env.npm_config_electron_use_remote_checksums) === undefined,
    cacheRoot: firstSet(env.electron_config_cache),
    skipCache: env.force_no_cache === 'true'
  }
}
