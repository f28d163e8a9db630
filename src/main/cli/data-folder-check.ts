import { readdirSync } from 'node:fs'
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
 * `chats`, `status` and `show` only read: on a folder that does not exist, or holds nothing, there is nothing to read,
 * and running Parley there (as answering would) makes a typo (`--data-dir ~/parly`) an empty Parley that answers "No
 * chats yet", or sets Parley up in an empty folder nobody meant for it. The sentence for the refusal (exit 2), naming
 * where the path came from.
 */
export function missingFolderRefusal(choice: DataFolderChoice, finding: 'missing' | 'empty' = 'missing'): string {
  const { dataDir, source } = choice
  const there = finding === 'missing' ? `There is no data folder at ${dataDir}` : `The folder ${dataDir} is empty`
  if (source === 'default') {
    const notYet = finding === 'missing' ? ' yet: Parley has not run there' : ': Parley has not run there yet'
    return `${there}${notYet} (\`parley run\` starts it, or name another folder with --data-dir).`
  }
  const check = finding === 'missing' ? 'check its spelling' : 'Parley has not run there'
  const nothing = finding === 'missing' ? 'nothing was created' : 'nothing was written there'
  return `${there} (from ${source}): ${check}; \`parley chats\`, \`status\` and \`show\` only read, so ${nothing}.`
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

/**
 * The names by which a folder is known to be Parley's: what its core makes at every start (`journal.jsonl`, the
 * `session-log` folder, and their `.corrupt-…` copies), its lock and socket (`parley.lock`, `parley.sock`) and browser
 * mode's kept address. Names another program may use as well (`settings.json`, `sessions.json`, `attachments`) don't
 * count: `~/.config/Code/User` holds a `settings.json`.
 */
export function isParleyName(name: string): boolean {
  return name.startsWith('journal.jsonl') || name.startsWith('session-log') || name.startsWith('parley.') || name === 'browser-address.json'
}

/**
 * Names Parley makes in its folder that other programs use as well (its settings, its chat list, its secrets file,
 * its attachments, and their `.corrupt-…` and temporary copies): alone, they don't make a folder someone else's.
 */
function parleyMakesToo(name: string): boolean {
  return ['settings.json', 'sessions.json', 'secrets.json'].some((own) => name.startsWith(own)) || name === 'attachments'
}

/** What a file manager leaves in any folder it showed: not a sign that the folder holds someone's files. */
const fileManagerLitter: ReadonlySet<string> = new Set(['.DS_Store', '.localized', 'Thumbs.db', 'desktop.ini', '.directory'])

/**
 * What is at the folder's path, for the command line, browser mode and the desktop app (one `readdir`): nothing; an
 * empty folder (a file manager's litter aside), fine to start in; Parley's own (one of its names is there, or only names
 * it makes too, or that `alsoMadeForIt` names: the desktop app's Chromium files); or another folder, with what it holds.
 * A file in its place, or a folder that can't be read, is `unknown`: for the core to name (data-folder.ts).
 */
export type FolderFinding =
  | { kind: 'missing' }
  | { kind: 'empty' }
  | { kind: 'parley' }
  | { kind: 'foreign'; names: readonly string[] }
  | { kind: 'unknown' }

export function lookAtFolder(dataDir: string, alsoMadeForIt: (name: string) => boolean = () => false): FolderFinding {
  let names: string[]
  try {
    names = readdirSync(dataDir)
  } catch (error) {
    const code: unknown = typeof error === 'object' && error !== null ? Reflect.get(error, 'code') : undefined
    return code === 'ENOENT' ? { kind: 'missing' } : { kind: 'unknown' }
  }
  if (names.some(isParleyName)) return { kind: 'parley' }
  const others = names.filter((name) => !fileManagerLitter.has(name)).sort()
  if (others.length === 0) return { kind: 'empty' }
  // Only names Parley makes too (a settings.json written ahead for it, as the e2e tests and a careful person do): a
  // folder prepared for Parley, not someone else's. One name Parley never makes beside them, and it is someone else's.
  return others.every((name) => parleyMakesToo(name) || alsoMadeForIt(name)) ? { kind: 'parley' } : { kind: 'foreign', names: others }
}

/**
 * A folder that exists, holds other files and none of Parley's (`--data-dir ~`, `~/Documents`): every command refuses
 * it (exit 2) before anything is written there, as Parley would put its journal, chats and lock among the person's
 * files. The default folder is never refused: its name is Parley's own. The sentence names a few of what is there.
 */
export function foreignFolderRefusal(choice: DataFolderChoice, names: readonly string[], home = homedir()): string {
  return (
    `${choice.dataDir} (from ${choice.source}) is not a Parley data folder: it holds other files (${someOf(names)}) and none of Parley's, ` +
    `so nothing was written there. Name the folder Parley uses (${defaultDataDir(home)} unless you chose another), or a new or empty one.`
  )
}

/** A few of a folder's names for a sentence: `.bashrc, Documents, Music and 40 more`. */
export function someOf(names: readonly string[]): string {
  const more = names.length > 3 ? ` and ${names.length - 3} more` : ''
  return `${names.slice(0, 3).join(', ')}${more}`
}
