import { statSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

/** Where the command's data folder was named: `--data-dir`, PARLEY_DATA_DIR, or nowhere (the default, ~/.parley). */
export type FolderSource = '--data-dir' | 'PARLEY_DATA_DIR' | 'default'

export interface DataFolderChoice {
  /** An absolute path. */
  dataDir: string
  source: FolderSource
}

/** Browser mode's folder, which the command line uses too when none is named. */
export function defaultDataDir(home = homedir()): string {
  return resolve(join(home, '.parley'))
}

/** The folder the command uses: `--data-dir` first, then PARLEY_DATA_DIR (already absolute), else the default. */
export function chooseDataFolder(flag: string | null, variable: string | undefined, home = homedir()): DataFolderChoice {
  const named = flag ?? variable
  const dataDir = named === undefined ? defaultDataDir(home) : resolve(named)
  // The default named outright is still the default: a first run is expected to make it.
  if (named === undefined || dataDir === defaultDataDir(home)) return { dataDir, source: 'default' }
  return { dataDir, source: flag !== null ? '--data-dir' : 'PARLEY_DATA_DIR' }
}

/**
 * Whether nothing is at the folder's path. Only a missing path counts: a file in its place, or a folder that can't be
 * read, is for the core to name (data-folder.ts), as the app does.
 */
export function folderIsMissing(dataDir: string): boolean {
  try {
    statSync(dataDir)
    return false
  } catch (error) {
    return typeof error === 'object' && error !== null && Reflect.get(error, 'code') === 'ENOENT'
  }
}

/**
 * `chats`, `status` and `show` only read: on a folder that does not exist there is nothing to read, and making it
 * (as running Parley there would) turns a typo (`--data-dir ~/parly`) into an empty Parley that answers "No chats
 * yet." The sentence for the refusal (exit 2), naming where the path came from.
 */
export function missingFolderRefusal(choice: DataFolderChoice): string {
  const { dataDir, source } = choice
  if (source === 'default') {
    return `There is no data folder at ${dataDir} yet: Parley has not run there (\`parley run\` starts it, or name another folder with --data-dir).`
  }
  return `There is no data folder at ${dataDir} (from ${source}): check its spelling; \`parley chats\`, \`status\` and \`show\` only read, so nothing was created.`
}

/**
 * `parley run` on a folder that does not exist starts a new, empty Parley there; said once on stderr, so that a typo
 * in `--data-dir` (or PARLEY_DATA_DIR) is seen rather than its answers landing in a folder no one looks at. Null for the
 * default folder, which a first run is expected to make.
 */
export function newFolderNote(choice: DataFolderChoice): string | null {
  if (choice.source === 'default') return null
  return `starting a new data folder at ${choice.dataDir} (from ${choice.source}), as none was there: check its spelling if you meant an existing one`
}
