import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { dataLockFileName } from '../core/data-lock'

/** The one field of the folder's lock (data-lock.ts) read here; lenient, as data-lock.ts reads it. */
const lockModeSchema = z.object({ mode: z.string().optional() })

/**
 * Whether the Parley now holding the data folder may come back by itself once it has gone (ParleyLink.mayComeBack).
 * The app (`desktop`, `browser`) may be restarting, and a restarting app refuses a folder another Parley holds, so a
 * command that lost it leaves it the folder for PARLEY_TAKEOVER_SECONDS. A command line's own core (`headless`) leaves
 * for good: nothing would come back to it. A lock that can't be read, or another mode, counts as an app.
 */
export function holderMayComeBack(dataDir: string): boolean {
  let raw: string
  try {
    raw = readFileSync(join(dataDir, dataLockFileName), 'utf8')
  } catch {
    return true
  }
  try {
    const lock = lockModeSchema.safeParse(JSON.parse(raw))
    return !(lock.success && lock.data.mode === 'headless')
  } catch {
    return true
  }
}
