import { describe, expect, it } from 'vitest'
import { DrawnAnswers } from './drawn-answers'

describe('the HTML of answers as last drawn', () => {
  it('gives an answer’s HTML back only while its text is the text it was drawn from', () => {
    const drawn = new DrawnAnswers()
    drawn.keep('a1', '# Title\n\nText', '<h1>Title</h1><p>Text</p>')
    expect(drawn.htmlOf('a1', '# Title\n\nText')).toBe('<h1>Title</h1><p>Text</p>')
    expect(drawn.htmlOf('a1', '# Title\n\nText, edited')).toBeUndefined()
    expect(drawn.htmlOf('a2', '# Title\n\nText')).toBeUndefined()
    drawn.keep('a1', 'Other', '<p>Other</p>')
    expect(drawn.htmlOf('a1', 'Other')).toBe('<p>Other</p>')
    expect(drawn.htmlOf('a1', '# Title\n\nText')).toBeUndefined()
  })

  it('forgets the answers drawn longest ago past its size, and keeps none larger than all of it', () => {
    const drawn = new DrawnAnswers(10)
    drawn.keep('a1', 'one', '<p>1</p>')
    drawn.keep('a2', 'two', '<b>2</b>')
    // Over 10 characters: the oldest goes.
    expect(drawn.htmlOf('a1', 'one')).toBeUndefined()
    expect(drawn.htmlOf('a2', 'two')).toBe('<b>2</b>')
    // Kept again, an answer is the newest.
    drawn.keep('a3', 'x', 'x')
    drawn.keep('a2', 'two', '<b>2</b>')
    drawn.keep('a4', 'y', 'yy')
    expect(drawn.htmlOf('a3', 'x')).toBeUndefined()
    expect(drawn.htmlOf('a2', 'two')).toBe('<b>2</b>')
    expect(drawn.htmlOf('a4', 'y')).toBe('yy')
    drawn.keep('a5', 'big', '<p>far too long</p>')
    expect(drawn.htmlOf('a5', 'big')).toBeUndefined()
    expect(drawn.htmlOf('a2', 'two')).toBe('<b>2</b>')
  })
})
