import { describe, expect, it } from 'vitest'
import { highlightedHtml } from './highlight'
import { HIGHLIGHT_MAX_CHARS } from './limits'

describe('highlightedHtml', () => {
  it('marks up a known language, aliases included, and escapes the code', () => {
    expect(highlightedHtml('const a = "<b>"', 'ts')).toContain('<span class="hljs-keyword">const</span>')
    expect(highlightedHtml('const a = "<b>"', 'ts')).toContain('&lt;b&gt;')
    expect(highlightedHtml('fn main() {}', 'rust')).toContain('hljs-')
    expect(highlightedHtml('echo hi', 'sh')).toContain('hljs-built_in')
  })

  it('gives nothing for an unknown or missing language, or for code too long to highlight at once', () => {
    expect(highlightedHtml('x', 'klingon')).toBeUndefined()
    expect(highlightedHtml('x', undefined)).toBeUndefined()
    expect(highlightedHtml('x'.repeat(HIGHLIGHT_MAX_CHARS + 1), 'js')).toBeUndefined()
  })
})
