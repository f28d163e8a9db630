import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { _electron, type ElectronApplication, type Page, test as base } from '@playwright/test'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const ELECTRON_DIR = fileURLToPath(new URL('../../node_modules/electron/', import.meta.url))
const MAIN_ENTRY = fileURLToPath(new URL('../../out/main/index.js', import.meta.url))

type ElectronBinary = { found: true; executablePath: string } | { found: false; reason: string }

/**
 * Finds the Electron executable the way the electron package does (path.txt names it inside dist/), without
 * `require('electron')`, which would try to download it.
 */
function findElectronBinary(): ElectronBinary {
  const pathFile = `${ELECTRON_DIR}path.txt`
  if (!existsSync(pathFile)) {
    return { found: false, reason: `the Electron binary is not installed (${pathFile} is missing)` }
  }
  const executablePath = `${ELECTRON_DIR}dist/${readFileSync(pathFile, 'utf8').trim()}`
  if (!existsSync(executablePath)) {
    return { found: false, reason: `the Electron binary is not installed (${executablePath} is missing)` }
  }
  return { found: true, executablePath }
}

interface ElectronFixtures {
  /** Skips every test of the project, with the reason, when there is no Electron binary. */
  requireElectron: void
  /**
   * Extra environment for the app: PARLEY_PROVIDER_URL, PARLEY_MODEL, PARLEY_SMALL_MODEL (src/main/launch-settings.ts).
   * A test file overrides this fixture to point the app at its scripted model server.
   */
  appEnv: Record<string, string>
  /**
   * The app's data folder (PARLEY_DATA_DIR), fresh for each test: settings, journal, Chromium's own data (IndexedDB)
   * and the single-instance lock, so tests never meet each other or the user's own Parley.
   */
  dataDir: string
  electronApp: ElectronApplication
  /** The app's first window. */
  appWindow: Page
}

export const test = base.extend<ElectronFixtures, { electronBinary: ElectronBinary }>({
  electronBinary: [
    async ({}, use) => {
      const binary = findElectronBinary()
      // Printed once per worker so the CI log says why the desktop tests did not run.
      if (!binary.found) console.log(`[electron] skipping the desktop tests: ${binary.reason}`)
      await use(binary)
    },
    { scope: 'worker' }
  ],
  requireElectron: [
    async ({ electronBinary }, use, testInfo) => {
      testInfo.skip(!electronBinary.found, electronBinary.found ? '' : `Electron is absent: ${electronBinary.reason}`)
      await use()
    },
    { auto: true }
  ],
  appEnv: async ({}, use) => {
    await use({})
  },
  dataDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-desktop-e2e-'))
    try {
      await use(dir)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  },
  electronApp: async ({ electronBinary, appEnv, dataDir }, use) => {
    if (!electronBinary.found) throw new Error(electronBinary.reason)
    if (!existsSync(MAIN_ENTRY)) throw new Error(`${MAIN_ENTRY} is missing: build first (npm run build).`)
    const app = await _electron.launch({
      executablePath: electronBinary.executablePath,
      // '.' runs the app as `electron-vite preview` does: package.json "main" points at out/main/index.js.
      // Chromium refuses to run as root with its OS sandbox (CI containers); the renderer's own sandbox stays on.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '.'],
      cwd: ROOT,
      env: { ...definedEnv(process.env), ...appEnv, PARLEY_DATA_DIR: dataDir }
    })
    try {
      await use(app)
    } finally {
      await app.close()
    }
  },
  appWindow: async ({ electronApp }, use) => {
    await use(await electronApp.firstWindow())
  }
})

/** process.env without its unset entries, as _electron.launch's env wants it. */
function definedEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined))
}

export { expect } from '@playwright/test'
