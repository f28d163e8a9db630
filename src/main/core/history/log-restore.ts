import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '../settings/json-file'

/** The mark's file in the data folder: present while main waits for a window's copy of what its log lost. */
export const logRestoreFileName = 'session-log.restore-wanted'

/**
 * Whether main still waits for a window to send back the chats its replaced message store lost. Kept as a file in the
 * data folder, so a restart before any window came (browser mode with no page open, a crash) still asks the next one.
 */
export class LogRestoreMark {
  private readonly path: string
  private isWanted: boolean

  constructor(dataDir: string) {
    this.path = join(dataDir, logRestoreFileName)
    this.isWanted = existsSync(this.path)
  }

  get wanted(): boolean {
    return this.isWanted
  }

  /** The log was damaged and replaced (its copy at `backupPath`): ask the windows for theirs. */
  want(backupPath: string, now = Date.now()): void {
    writeFileAtomic(this.path, `${JSON.stringify({ since: new Date(now).toISOString(), backupPath })}\n`)
    this.isWanted = true
  }

  /** A window sent its whole copy back. */
  done(): void {
    rmSync(this.path, { force: true })
    this.isWanted = false
  }
}
