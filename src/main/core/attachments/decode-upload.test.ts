import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { decodeSlice, decodeUpload } from './decode-upload'

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

describe('decodeUpload', () => {
  it('decodes, hashes and checks UTF-8 slice by slice exactly as in one go, even with a character cut between slices', async () => {
    // "é" is two bytes: repeated past several slices, some slice boundaries fall inside one.
    const text = Buffer.from('é'.repeat(Math.ceil((decodeSlice * 3) / 4)) + 'end')
    const decoded = await decodeUpload(text.toString('base64'))
    expect(decoded.bytes.equals(text)).toBe(true)
    expect(decoded.id).toBe(sha(text))
    expect(decoded.isUtf8).toBe(true)
  })

  it('finds bytes that are not UTF-8, or a NUL, in a later slice', async () => {
    const tail = Buffer.concat([Buffer.alloc(decodeSlice, 'a'), Buffer.from([0xff])])
    expect((await decodeUpload(tail.toString('base64'))).isUtf8).toBe(false)
    const nul = Buffer.concat([Buffer.alloc(decodeSlice, 'a'), Buffer.from([0])])
    expect((await decodeUpload(nul.toString('base64'))).isUtf8).toBe(false)
  })

  it('decodes base64 with line breaks whole', async () => {
    const bytes = Buffer.from('hello world, wrapped')
    const wrapped = bytes.toString('base64').replace(/(.{8})/g, '$1\n')
    const decoded = await decodeUpload(wrapped)
    expect(decoded.bytes.equals(bytes)).toBe(true)
    expect(decoded.id).toBe(sha(bytes))
  })
})
