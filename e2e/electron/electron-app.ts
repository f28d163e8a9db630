import { existsSync, readFileSync } from 'node:fs'
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
  electronApp: async ({ electronBinary }, use) => {
    if (!electronBinary.found) throw new Error(electronBinary.reason)
    if (!existsSync(MAIN_ENTRY)) throw new Error(`${MAIN_ENTRY} is missing: build first (npm run build).`)
    const app = await _electron.launch({
      executablePath: electronBinary.executablePath,
      // '.' runs the app as `electron-vite preview` does: package.json "main" points at out/main/index.js.
      // Chromium refuses to run as root with its OS sandbox (CI containers); the renderer's own sandbox stays on.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '.'],
      cwd: ROOT
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

export { expect } from '@playwright/test'
