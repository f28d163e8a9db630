import { join } from 'node:path'
import { z } from 'zod'
import { tokenPattern } from '../../shared'
import { readFileIfPresent, writeFileAtomic } from '../core/settings/json-file'
import type { BrowserHost } from './browser-host'

/**
 * Browser mode's address, kept in its data folder: started again (after a crash, a reboot, Ctrl+C), it listens on the
 * port and takes the token it had, so a page left open reconnects by itself, and the window's storage (IndexedDB,
 * drafts, the theme: all per origin, and the origin is the port) is found again instead of copied anew from main.
 */
export const keptAddressFileName = 'browser-address.json'

const keptAddressSchema = z.object({
  port: z.number().int().min(1).max(65_535).optional(),
  token: z.string().regex(tokenPattern).optional()
})
export type KeptAddress = z.infer<typeof keptAddressSchema>

/** What was asked for on the command line or in the environment; what's missing comes from the kept address. */
export interface WantedAddress {
  /** 0: a free port, and none kept. */
  readonly port: number | undefined
  readonly token: string | undefined
}

export type StartHost = (port: number, token: string | undefined) => Promise<BrowserHost>

/** The kept address, or none when the file is missing or isn't one (it is written again once the host listens). */
export function readKeptAddress(dataDir: string): KeptAddress {
  try {
    const raw = readFileIfPresent(join(dataDir, keptAddressFileName))
    const parsed = raw === undefined ? undefined : keptAddressSchema.safeParse(JSON.parse(raw))
    return parsed?.success ? parsed.data : {}
  } catch {
    return {}
  }
}

/**
 * Starts the host on the kept port and token, unless others were asked for. A kept port another program now holds
 * gives way to a free one (said on `report`), which is kept from then on. Keeping is best effort: a folder that can't
 * be written costs the next start its address, not this one.
 */
export async function startAtKeptAddress(dataDir: string, wanted: WantedAddress, start: StartHost, report: (line: string) => void): Promise<BrowserHost> {
  const kept = readKeptAddress(dataDir)
  const token = wanted.token ?? kept.token
  const keptPort = wanted.port === undefined ? kept.port : undefined
  const host =
    keptPort === undefined
      ? await start(wanted.port ?? 0, token)
      : await start(keptPort, token).catch((error: unknown) => {
          if (!isPortUnavailable(error)) throw error
          report(`Parley (browser mode): port ${keptPort}, its address last time, is in use by another program; it takes a free one.`)
          return start(0, token)
        })
  // What was asked for explicitly is used this time only; the kept address stays for the starts that don't ask.
  const port = wanted.port === undefined ? host.port : kept.port
  const keptToken = wanted.token === undefined ? host.token : kept.token
  const next: KeptAddress = { ...(port !== undefined && { port }), ...(keptToken !== undefined && { token: keptToken }) }
  if (next.port !== kept.port || next.token !== kept.token) {
    try {
      writeFileAtomic(join(dataDir, keptAddressFileName), `${JSON.stringify(next)}\n`)
    } catch (error) {
      report(`Parley (browser mode): could not keep its address for the next start: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  return host
}

function isPortUnavailable(error: unknown): boolean {
  const code = error instanceof Error && 'code' in error ? error.code : undefined
  return code === 'EADDRINUSE' || code === 'EACCES'
}
