// The one paragraph `npm start` prints when it cannot get Electron's binary: what failed, why in plain words, and
// what to do. People meet it on their first start, often offline or behind a firewall, so it never shows a stack.

export const EXAMPLE_MIRROR = 'https://npmmirror.com/mirrors/electron/'

/** The last resort every paragraph ends with: browser mode runs the same app with no Electron binary. */
const BROWSER_MODE = 'or use `npm run web`, browser mode, which needs no Electron binary.'

/** Why Parley stopped before downloading anything. */
export type Refusal =
  | { kind: 'missing-exec-path'; execPath: string }
  | { kind: 'no-build'; platform: string; version: string }
  | { kind: 'download-skipped'; version: string; distDir: string }

export function refusalText(refusal: Refusal): string {
  switch (refusal.kind) {
    case 'missing-exec-path':
      return (
        `Parley cannot start the desktop app: ELECTRON_EXEC_PATH points at ${refusal.execPath}, which does not exist. ` +
        `Point it at an Electron executable, or unset it so that \`npm start\` downloads Electron itself; ${BROWSER_MODE}`
      )
    case 'no-build':
      return (
        `Parley cannot start the desktop app: Electron ${refusal.version} publishes no build for the platform ` +
        `"${refusal.platform}". Run it on Windows, macOS or Linux (check ELECTRON_INSTALL_PLATFORM and ` +
        `npm_config_platform if you set them); ${BROWSER_MODE}`
      )
    case 'download-skipped':
      return (
        `Parley cannot start the desktop app: Electron ${refusal.version}'s binary is not in ${refusal.distDir}, and ` +
        `ELECTRON_SKIP_BINARY_DOWNLOAD is set, so it was not downloaded. Unset ELECTRON_SKIP_BINARY_DOWNLOAD and ` +
        `run \`npm start\` again (it downloads about 100 MB once); ${BROWSER_MODE}`
      )
  }
}

export interface Failure {
  /** Downloading (and verifying) the zip, or unpacking it into dist and writing path.txt. */
  stage: 'download' | 'unpack'
  version: string
  url: string
  distDir: string
  /** The downloaded zip, once there is one. */
  zipPath?: string
  error: unknown
}

/** Thrown by the runner when no byte arrived for a while, so the reason can name the wait. */
export class StalledError extends Error {
  constructor(readonly seconds: number) {
    super(`no data for ${seconds} s`)
    this.name = 'StalledError'
  }
}

export function failureText(failure: Failure): string {
  const { stage, version, url, distDir } = failure
  const why = plainReason(failure.error, url)
  if (stage === 'unpack') {
    // A zip that verified but will not unpack stays in the download cache and would fail the same way next time.
    const remedy =
      isDiskProblem(failure.error) || failure.zipPath === undefined
        ? "Free some space or fix the folder's permissions and run `npm start` again; "
        : `Delete ${failure.zipPath} so that \`npm start\` downloads it afresh; `
    return `Parley downloaded Electron ${version} but could not unpack it into ${distDir}: ${why}. ${remedy}${BROWSER_MODE}`
  }
  return (
    `Parley could not download Electron ${version} from ${url}: ${why}. ` +
    'Try `npm start` again; or set ELECTRON_MIRROR to a mirror you can reach, ' +
    `e.g. \`ELECTRON_MIRROR=${EXAMPLE_MIRROR} npm start\`; ` +
    BROWSER_MODE
  )
}

/** Anything else that went wrong, e.g. an electron package that cannot be read: still one paragraph, no stack. */
export function unexpectedText(error: unknown, electronDir: string): string {
  return (
    `Parley could not check for Electron's binary in ${electronDir}: ${plainReason(error, '')}. ` +
    'Run `npm ci` to reinstall the dependencies and then `npm start` again; ' +
    BROWSER_MODE
  )
}

interface ErrorFacts {
  code: string | undefined
  message: string
  name: string
  status: number | undefined
  statusText: string
}

/**
 * Every error in the chain: fetch wraps the socket's error in `cause`, and a host with several addresses fails with
 * an AggregateError whose `errors` hold one refusal each.
 */
function errorChain(error: unknown): ErrorFacts[] {
  const found: ErrorFacts[] = []
  const queue: unknown[] = [error]
  while (queue.length > 0 && found.length < 20) {
    const next = queue.shift()
    if (typeof next !== 'object' || next === null) {
      if (next !== undefined) found.push({ code: undefined, message: String(next), name: '', status: undefined, statusText: '' })
      continue
    }
    const record = next as Record<string, unknown>
    const response = record.response as Record<string, unknown> | undefined
    found.push({
      code: typeof record.code === 'string' ? record.code : undefined,
      message: typeof record.message === 'string' ? record.message : '',
      name: typeof record.name === 'string' ? record.name : '',
      status: typeof response?.status === 'number' ? response.status : undefined,
      statusText: typeof response?.statusText === 'string' ? response.statusText : ''
    })
    if ('cause' in record) queue.push(record.cause)
    if (Array.isArray(record.errors)) queue.push(...(record.errors as unknown[]))
  }
  return found
}

const DISK_CODES = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS'])

function isDiskProblem(error: unknown): boolean {
  return errorChain(error).some((e) => e.code !== undefined && DISK_CODES.has(e.code))
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

const CODE_REASONS: Record<string, (host: string) => string> = {
  ECONNREFUSED: (host) => `the connection to ${host} was refused (nothing is listening there, or a firewall says no)`,
  ENOTFOUND: (host) => `the name ${host} could not be found (a DNS failure: are you offline?)`,
  EAI_AGAIN: (host) => `the name ${host} could not be looked up right now (a DNS failure: are you offline?)`,
  ETIMEDOUT: (host) => `${host} did not answer in time (a timeout)`,
  UND_ERR_CONNECT_TIMEOUT: (host) => `${host} did not answer in time (a connection timeout)`,
  UND_ERR_HEADERS_TIMEOUT: (host) => `${host} accepted the connection but never answered (a timeout)`,
  UND_ERR_BODY_TIMEOUT: (host) => `${host} stopped sending the file (a timeout)`,
  ECONNRESET: (host) => `the connection to ${host} was cut off (reset)`,
  UND_ERR_SOCKET: (host) => `the connection to ${host} was cut off`,
  EHOSTUNREACH: (host) => `${host} cannot be reached from this network (no route to host)`,
  ENETUNREACH: () => 'this machine has no network route to the server (are you offline?)',
  CERT_HAS_EXPIRED: (host) => `${host}'s TLS certificate has expired`,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: (host) =>
    `${host}'s TLS certificate could not be verified (a proxy that inspects traffic? set NODE_EXTRA_CA_CERTS)`,
  SELF_SIGNED_CERT_IN_CHAIN: (host) =>
    `${host}'s TLS certificate is signed by an unknown authority (a proxy that inspects traffic? set NODE_EXTRA_CA_CERTS)`,
  DEPTH_ZERO_SELF_SIGNED_CERT: (host) => `${host} sent a self-signed TLS certificate`,
  ERR_TLS_CERT_ALTNAME_INVALID: (host) => `${host}'s TLS certificate is for another name`,
  ENOSPC: () => 'the disk is full',
  EDQUOT: () => 'the disk quota is used up',
  EACCES: () => 'permission was denied writing the files',
  EPERM: () => 'the operating system did not permit writing the files',
  EROFS: () => 'the folder is on a read-only disk'
}

/** The underlying reason in plain words, without a stack and without the wrapping "fetch failed". */
export function plainReason(error: unknown, url: string): string {
  const chain = errorChain(error)
  const host = hostOf(url)

  const stalled = chain.find((e) => e.name === 'StalledError')
  if (stalled) return `nothing arrived from ${host} for too long (${stalled.message}: a timeout)`

  const http = chain.find((e) => e.status !== undefined)
  if (http?.status !== undefined) {
    const label = `HTTP ${http.status}${http.statusText ? ` ${http.statusText}` : ''}`
    if (http.status === 404) return `the server answered ${label}: it has no such file (check ELECTRON_MIRROR's URL)`
    if (http.status === 403 || http.status === 429) return `the server answered ${label}: it refused or rate-limited us`
    return `the server answered ${label}`
  }

  const mismatch = chain.find((e) => /did not match expected checksum/.test(e.message))
  if (mismatch) {
    return (
      "the file's SHA-256 checksum does not match Electron's published one (a corrupt download, or a mirror " +
      'serving a different file), so it was not used'
    )
  }
  if (chain.some((e) => /No checksum found/.test(e.message))) {
    return "Electron's checksum list has no entry for this file (check ELECTRON_CUSTOM_FILENAME and the platform)"
  }

  // The fetch standard blocks some ports (9, 25, 6000, …) before connecting; undici says only "bad port".
  if (chain.some((e) => e.message === 'bad port')) {
    return `Node's fetch will not connect to ${host}: that port is on the list fetch blocks as unsafe (use another port)`
  }

  for (const e of chain) {
    const reason = e.code === undefined ? undefined : CODE_REASONS[e.code]
    if (reason) return reason(host)
  }

  // Nothing we recognise: the innermost message is usually the most specific, and never a stack.
  const messages = chain.map((e) => e.message.split('\n')[0]?.trim() ?? '').filter((m) => m !== '' && m !== 'fetch failed')
  const innermost = messages[messages.length - 1]
  return innermost ?? 'an unknown error'
}
