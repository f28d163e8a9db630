import { describe, expect, it } from 'vitest'
import { isLoopbackUrl, probeDelayMs } from './probe-schedule'

describe('probe schedule (rules C3, C6)', () => {
  it('C3: a base URL on this machine is loopback: localhost, 127.0.0.0/8, ::1', () => {
    for (const url of [
      'http://localhost:11434/v1',
      'http://LOCALHOST:8080',
      'http://ollama.localhost/v1',
      'http://127.0.0.1:8080/v1',
      'http://127.1.2.3/v1',
      'http://[::1]:1234/v1',
      'http://[::ffff:127.0.0.1]:8080/v1'
    ]) {
      expect(isLoopbackUrl(url), url).toBe(true)
    }
    for (const url of [
      'https://api.openai.com/v1',
      'http://192.168.1.20:11434/v1',
      'http://128.0.0.1/v1',
      'http://localhost.example.com/v1',
      'http://[::2]/v1',
      'not a url'
    ]) {
      expect(isLoopbackUrl(url), url).toBe(false)
    }
  })

  it('C3: a local provider is looked at every 1–2 s; a remote one backs off from 1 s to 30 s', () => {
    const attempts = [0, 1, 2, 3, 4, 5, 6, 10, 100]
    expect(attempts.map((a) => probeDelayMs(a, 'local'))).toEqual([1000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000])
    expect(attempts.map((a) => probeDelayMs(a, 'remote'))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000
    ])
  })
})
