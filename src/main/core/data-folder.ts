import { mkdirSync, statSync } from 'node:fs'

/** The data folder can't be used: a file is in its place, or it can't be made. The sentence says what to do. */
export class DataFolderUnusableError extends Error {
  readonly code = 'data-folder-unusable'

  constructor(
    readonly dataDir: string,
    why: string
  ) {
    super(`Parley can't use ${dataDir} as its data folder: ${why}. Choose another folder with --data-dir (or PARLEY_DATA_DIR), or move what is there away.`)
    this.name = 'DataFolderUnusableError'
  }
}

function errnoOf(error: unknown): string {
  const code: unknown = typeof error === 'object' && error !== null ? Reflect.get(error, 'code') : undefined
  return typeof code === 'string' ? code : ''
}

/** Makes the data folder (and its parents) if it is missing; a file in its place, or no right to make it, is named. */
export function ensureDataFolder(folder: string): void {
  try {
    if (!statSync(folder).isDirectory()) throw new DataFolderUnusableError(folder, 'it is a file, not a folder')
    return
  } catch (error) {
    if (error instanceof DataFolderUnusableError) throw error
    if (errnoOf(error) === 'ENOTDIR') throw new DataFolderUnusableError(folder, 'a file is in the way of its path')
    if (errnoOf(error) !== 'ENOENT') throw new DataFolderUnusableError(folder, `it can't be read (${errnoOf(error) || String(error)})`)
  }
  try {
    mkdirSync(folder, { recursive: true })
  } catch (error) {
    const code = errnoOf(error)
    const why =
      code === 'ENOTDIR' || code === 'EEXIST'
        ? 'a file is in the way of its path'
        : code === 'EACCES' || code === 'EPERM'
          ? 'Parley has no permission to create it'
          : `it could not be created (${code || String(error)})`
    throw new DataFolderUnusableError(folder, why)
  }
}
