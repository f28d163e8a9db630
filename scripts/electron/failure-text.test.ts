import { describe, expect, it } from 'vitest'
import { StalledError, failureText, plainReason, unexpectedText, type Failure } from './failure-text'

const URL = 'https://mirror.example/v45.4.1/electron-v45.4.1-linux-x64.zip'

/** The shape Node's fetch rejects with: a bare "fetch failed" wrapping the socket's error. */
function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause })
}

function socketError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`connect ${code} 203.0.113.1:443`), { code })
}

function download(error: unknown): Failure {
  return { stage: 'download', version: '45.4.1', url: URL, distDir: '/repo/node_modules/electron/dist', error }
}

describe('failureText', () => {
  it('says what failed, why, and what to do, in one paragraph without a stack', () => {
    const text = failureText(download(fetchFailed(socketError('ECONNREFUSED'))))
    expect(text).toContain(`Parley could not download Electron 45.4.1 from ${URL}`)
    expect(text).toContain('the connection to mirror.example was refused')
    expect(text).toContain('ELECTRON_MIRROR')
    expect(text).toContain('https://npmmirror.com/mirrors/electron/')
    expect(text).toContain('npm run web')
    expect(text).not.toContain('\n')
    expect(text).not.toMatch(/\bat .*:\d+:\d+/)
    expect(text).not.toContain('fetch failed')
  })

  it('names the unpack step and the folder when the zip cannot be extracted', () => {
    const text = failureText({ ...download(socketError('ENOSPC')), stage: 'unpack' })
    expect(text).toContain('Parley downloaded Electron 45.4.1 but could not unpack it into /repo/node_modules/electron/dist')
    expect(text).toContain('the disk is full')
    expect(text).toContain('npm run web')
  })

  it('asks to delete a cached zip that verified but will not unpack, since the next start would reuse it', () => {
    const zipPath = '/home/me/.cache/electron/abc/electron-v45.4.1-linux-x64.zip'
    const text = failureText({ ...download(new Error('invalid Zip archive: Could not find EOCD')), stage: 'unpack', zipPath })
    expect(text).toContain('invalid Zip archive: Could not find EOCD')
    expect(text).toContain(`Delete ${zipPath} so that \`npm start\` downloads it afresh`)
  })

  it('stays one paragraph for an error we do not recognise', () => {
    const text = unexpectedText(new Error('Unexpected token } in JSON\n    at JSON.parse (<anonymous>)'), '/x/electron')
    expect(text).toContain("Parley could not check for Electron's binary in /x/electron: Unexpected token } in JSON.")
    expect(text).not.toContain('at JSON.parse')
  })
})

describe('plainReason', () => {
  it.each([
    ['ECONNREFUSED', 'was refused'],
    ['ENOTFOUND', 'DNS failure'],
    ['EAI_AGAIN', 'DNS failure'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['ECONNRESET', 'reset'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'NODE_EXTRA_CA_CERTS'],
    ['EACCES', 'permission was denied']
  ])('explains %s', (code, words) => {
    expect(plainReason(fetchFailed(socketError(code)), URL)).toContain(words)
  })

  it('finds the refusal inside an AggregateError (a host with both IPv4 and IPv6 addresses)', () => {
    const both = new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED')], '')
    expect(plainReason(fetchFailed(both), URL)).toContain('was refused')
  })

  it('gives the HTTP status of @electron/get\'s HTTPError', () => {
    const notFound = Object.assign(new Error(`Response code 404 (Not Found) for ${URL}`), {
      name: 'HTTPError',
      response: { status: 404, statusText: 'Not Found' }
    })
    expect(plainReason(notFound, URL)).toBe("the server answered HTTP 404 Not Found: it has no such file (check ELECTRON_MIRROR's URL)")
  })

  it('explains a checksum mismatch from sumchecker', () => {
    const mismatch = new Error('Generated checksum for "electron-v45.4.1-linux-x64.zip" did not match expected checksum.')
    expect(plainReason(mismatch, URL)).toContain('checksum does not match')
  })

  it('names our stall timeout, even when fetch wraps it', () => {
    expect(plainReason(fetchFailed(new StalledError(30)), URL)).toBe(
      'nothing arrived from mirror.example for too long (no data for 30 s: a timeout)'
    )
  })

  it("explains fetch's blocked ports (ELECTRON_MIRROR=http://127.0.0.1:9/ never connects)", () => {
    expect(plainReason(fetchFailed(new Error('bad port')), 'http://127.0.0.1:9/v45.4.1/x.zip')).toContain(
      "Node's fetch will not connect to 127.0.0.1:9"
    )
  })
})
