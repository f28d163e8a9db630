import { describe, expect, it } from 'vitest'
import { bridgeProtocols, tokenPattern } from '../../shared'
import { admitUpgrade, newToken, tokensMatch } from './admission'

const token = newToken()
const request = (headers: Record<string, string>, url = '/parley') => ({ url, headers: { host: '127.0.0.1:4000', ...headers }, localPort: 4000 })

describe('admission to the bridge', () => {
  it('mints 64-hex-digit tokens that fit a subprotocol and a URL fragment', () => {
    expect(token).toMatch(/^[0-9a-f]{64}$/)
    expect(token).toMatch(tokenPattern)
    expect(newToken()).not.toBe(token)
  })

  it('compares tokens exactly, whatever their lengths', () => {
    expect(tokensMatch(token, token)).toBe(true)
    expect(tokensMatch(token.toUpperCase(), token)).toBe(false)
    expect(tokensMatch('', token)).toBe(false)
    expect(tokensMatch(`${token}0`, token)).toBe(false)
  })

  it('reads the token from the offered subprotocols, in any order and spacing', () => {
    const [version, tokenProtocol] = bridgeProtocols(token)
    expect(admitUpgrade(request({ 'sec-websocket-protocol': `${tokenProtocol} ,  ${version}` }), token)).toBeNull()
    expect(admitUpgrade(request({ 'sec-websocket-protocol': `${version}` }), token)).toMatchObject({ status: 401 })
  })

  it('lets in its own origins, on its own port, and nothing else', () => {
    const protocols = { 'sec-websocket-protocol': bridgeProtocols(token).join(', ') }
    for (const origin of ['http://127.0.0.1:4000', 'http://localhost:4000']) {
      expect(admitUpgrade(request({ ...protocols, origin }), token), origin).toBeNull()
    }
    const others = [
      'http://127.0.0.1:4001',
      // Same prefix, another port or host: a prefix or "contains" check would let these in.
      'http://127.0.0.1:40001',
      'http://localhost:40001',
      'http://127.0.0.1:400',
      'http://127.0.0.1:4000.evil.example',
      'http://127.0.0.1:4000@evil.example',
      'https://127.0.0.1:4000',
      'http://127.0.0.1.evil.example:4000',
      'null',
      ''
    ]
    for (const origin of others) {
      expect(admitUpgrade(request({ ...protocols, origin }), token), origin).toMatchObject({ status: 403 })
    }
  })

  it('answers only at /parley (a query string is fine)', () => {
    const protocols = { 'sec-websocket-protocol': bridgeProtocols(token).join(', ') }
    expect(admitUpgrade(request(protocols, '/parley?x=1'), token)).toBeNull()
    expect(admitUpgrade(request(protocols, '/parley/more'), token)).toMatchObject({ status: 404 })
    expect(admitUpgrade(request(protocols, '/'), token)).toMatchObject({ status: 404 })
  })

  it('answers only to its own Host names (DNS rebinding: another name that resolves here is refused)', () => {
    const protocols = { 'sec-websocket-protocol': bridgeProtocols(token).join(', ') }
    for (const host of ['127.0.0.1:4000', 'localhost:4000', 'LOCALHOST:4000']) {
      expect(admitUpgrade(request({ ...protocols, host }), token), host).toBeNull()
    }
    for (const host of ['evil.example:4000', 'evil.example', '127.0.0.1.evil.example:4000', '127.0.0.1:4000.evil.example', '']) {
      expect(admitUpgrade(request({ ...protocols, host }), token), host).toMatchObject({ status: 403 })
    }
    expect(admitUpgrade({ url: '/parley', headers: protocols, localPort: 4000 }, token)).toMatchObject({ status: 403 })
  })
})
