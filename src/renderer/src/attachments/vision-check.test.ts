import { describe, expect, it } from 'vitest'
import { FakeParleyApi } from '../testing/fake-parley-api'
import { VisionCheck, visionWarning } from './vision-check'

describe('VisionCheck', () => {
  it('asks main once per model', async () => {
    const api = new FakeParleyApi()
    api.vision.set('llava', 'yes')
    const check = new VisionCheck(api)
    expect(await check.support('ollama', 'llava')).toBe('yes')
    expect(await check.support('ollama', 'llava')).toBe('yes')
    expect(await check.support('ollama', 'llama3.2')).toBe('unknown')
    expect(api.calls.filter((call) => call.method === 'modelVision')).toHaveLength(2)
  })

  it('counts a failed answer as unknown and asks again next time', async () => {
    const api = new FakeParleyApi()
    let fail = true
    api.modelVision = async () => {
      if (fail) throw new Error('offline')
      return 'no'
    }
    const check = new VisionCheck(api)
    expect(await check.support('p', 'm')).toBe('unknown')
    fail = false
    expect(await check.support('p', 'm')).toBe('no')
  })
})

describe('visionWarning', () => {
  it('warns plainly for a model that can’t see, more lightly when nobody knows, not at all when it can', () => {
    expect(visionWarning('no', 'llama3.2', 1)).toBe("llama3.2 can't see images: it may ignore the image or refuse the prompt. Send anyway?")
    expect(visionWarning('unknown', 'mystery', 2)).toBe("Parley doesn't know whether mystery can see images. Send 2 images anyway?")
    expect(visionWarning('yes', 'llava', 1)).toBeNull()
  })
})
