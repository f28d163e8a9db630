import { describe, expect, it } from 'vitest'
import { carriesFiles, filesOf } from './dropped-files'

const png = new File(['png'], 'shot.png', { type: 'image/png' })

describe('dropped and pasted files', () => {
  it('shows the drop zone only for a drag that carries files', () => {
    expect(carriesFiles({ types: ['Files'] })).toBe(true)
    expect(carriesFiles({ types: ['text/plain', 'text/uri-list'] })).toBe(false)
    expect(carriesFiles(null)).toBe(false)
  })

  it('takes the files of a drop', () => {
    expect(filesOf({ types: ['Files'], files: [png] })).toEqual([png])
  })

  it('takes a clipboard image that comes only as an item', () => {
    const items = [
      { kind: 'string', getAsFile: () => null },
      { kind: 'file', getAsFile: () => png }
    ]
    expect(filesOf({ types: ['Files'], files: [], items })).toEqual([png])
  })

  it('leaves a text paste to the text box', () => {
    expect(filesOf({ types: ['text/plain'], files: [], items: [{ kind: 'string', getAsFile: () => null }] })).toEqual([])
    expect(filesOf(null)).toEqual([])
  })
})
