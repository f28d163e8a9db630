// Runs first in `npm start`: makes sure Electron's binary is in node_modules/electron before electron-vite launches
// it. electron@45 has no postinstall (npm 11 would skip it anyway) and electron-vite reads path.txt without ever
// requiring 'electron', so without this step a fresh clone fails with "Electron uninstall".
//   node --import tsx scripts/electron/ensure-electron.ts
// PARLEY_ELECTRON_DIR points it at another copy of the electron package (the tests use a temp folder, so they never
// touch the shared node_modules); PARLEY_ELECTRON_STALL_SECONDS shortens the stall timeout for them.
import { execSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { rename, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { createProgressReporter, type Progress } from './download-progress'
import { StalledError, failureText, unexpectedText } from './failure-text'
import { planLaunch, type Download } from './launch-plan'

/**
 * Give up when no byte arrives for this long: from asking until the answer starts, and between chunks. A slow line
 * still finishes; a black-holed mirror fails within a minute instead of undici's five. The tests shorten it.
 */
const STALL_SECONDS = Number(process.env.PARLEY_ELECTRON_STALL_SECONDS) || 30

function electronPackageDir(): string {
  const override = process.env.PARLEY_ELECTRON_DIR
  if (override) return resolve(override)
  return dirname(createRequire(import.meta.url).resolve('electron/package.json'))
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf-8')
  } catch {
    return null
  }
}

/** install.js's Rosetta check: an x64 Node on an arm64 Mac should still fetch the arm64 build. */
function underRosetta(): boolean {
  try {
    return execSync('sysctl -in sysctl.proc_translated', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() === '1'
  } catch {
    return false
  }
}

/** Fetches and verifies the zip the way install.js does (same call, same checksums), with our progress and timeout. */
async function downloadZip(plan: Download, electronDir: string, onProgress: (p: Progress) => void): Promise<string> {
  const { downloadArtifact, ElectronDownloadCacheMode } = await import('@electron/get')
  const checksums = plan.useBundledChecksums
    ? (JSON.parse(readFileSync(join(electronDir, 'checksums.json'), 'utf-8')) as Record<string, string>)
    : undefined
  const watchdog = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const rearm = (): void => {
    clearTimeout(timer)
    timer = setTimeout(() => watchdog.abort(new StalledError(STALL_SECONDS)), STALL_SECONDS * 1000)
  }
  rearm()
  try {
    return await downloadArtifact({
      version: plan.version,
      artifactName: 'electron',
      platform: plan.platform,
      arch: plan.arch,
      cacheRoot: plan.cacheRoot,
      checksums,
      // @electron/get 5 dropped install.js's `force` option; WriteOnly is what it used to mean.
      ...(plan.skipCache ? { cacheMode: ElectronDownloadCacheMode.WriteOnly } : {}),
      downloadOptions: {
        quiet: true,
        signal: watchdog.signal,
        getProgressCallback: async (progress: Progress) => {
          rearm()
          onProgress(progress)
        }
      }
    })
  } finally {
    clearTimeout(timer)
  }
}

/** install.js's extractFile: unzip into dist, move a bundled electron.d.ts up, then write path.txt last. */
async function unpack(plan: Download, electronDir: string, zipPath: string): Promise<void> {
  // Loaded only here, as install.js does: the extractor is a native module, and a ready install must not need it.
  const { extract } = await import('@electron-internal/extract-zip')
  await extract(zipPath, { dir: resolve(plan.distDir) })
  const typeDefinitions = join(plan.typeDefinitionsDir, 'electron.d.ts')
  if (existsSync(typeDefinitions)) await rename(typeDefinitions, join(electronDir, 'electron.d.ts'))
  await writeFile(join(electronDir, 'path.txt'), plan.platformPath)
}

async function main(): Promise<number> {
  const electronDir = electronPackageDir()
  const packageJson = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf-8')) as { version: string }
  const plan = planLaunch({
    env: process.env,
    hostPlatform: process.platform,
    hostArch: process.arch,
    electronDir,
    electronVersion: packageJson.version,
    disk: { readText, exists: existsSync },
    underRosetta
  })

  if (plan.kind === 'ready') return 0
  if (plan.kind === 'refuse') {
    process.stderr.write(`${plan.paragraph}\n`)
    return 1
  }

  const label = `Downloading Electron ${plan.version} (${plan.platform}-${plan.arch})`
  process.stdout.write(
    `Parley's desktop app needs Electron ${plan.version}, which is not in ${plan.distDir} yet. ` +
      `Fetching it once from ${plan.url}\n`
  )
  const reporter = createProgressReporter({
    label,
    isTTY: process.stdout.isTTY === true,
    write: (text) => process.stdout.write(text),
    now: () => Date.now()
  })
  const fail = (stage: 'download' | 'unpack', error: unknown, zipPath?: string): number => {
    const { version, url, distDir } = plan
    process.stderr.write(`${failureText({ stage, version, url, distDir, zipPath, error })}\n`)
    return 1
  }

  let sawBytes = false
  let zipPath: string
  try {
    zipPath = await downloadZip(plan, electronDir, (progress) => {
      sawBytes = true
      reporter.update(progress)
    })
  } catch (error) {
    if (sawBytes) reporter.finish('failed')
    return fail('download', error)
  }
  reporter.finish(sawBytes ? 'checksum verified' : 'taken from the download cache, checksum verified')
  try {
    await unpack(plan, electronDir, zipPath)
  } catch (error) {
    return fail('unpack', error, zipPath)
  }
  process.stdout.write(`Electron ${plan.version} is ready: ${join(plan.distDir, plan.platformPath)}\n`)
  return 0
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`${unexpectedText(error, process.env.PARLEY_ELECTRON_DIR ?? 'node_modules/electron')}\n`)
    process.exitCode = 1
  }
)
