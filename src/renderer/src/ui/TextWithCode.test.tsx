// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { codeSpans, TextWithCode } from './TextWithCode'

afterEach(cleanup)

describe('codeSpans', () => {
  it('splits a hint into plain text and its backticked commands', () => {
    expect(codeSpans('Install Ollama, run `ollama pull llama3.2`, and keep it running.')).toEqual([
      { code: false, text: 'Install Ollama, run ' },
      { code: true, text: 'ollama pull llama3.2' },
      { code: false, text: ', and keep it running.' }
    ])
    expect(codeSpans('No command here.')).toEqual([{ code: false, text: 'No command here.' }])
  })

  it('keeps a backtick with no partner as written', () => {
    expect(codeSpans('Run `a` then `b')).toEqual([
      { code: false, text: 'Run ' },
      { code: true, text: 'a' },
      { code: false, text: ' then `b' }
    ])
  })
})

describe('TextWithCode', () => {
  it('shows the commands as code, with no backticks left', () => {
    const { container } = render(<TextWithCode text="Run `vllm serve <model>` (it listens on port 8000)." />)
    expect(container.textContent).toBe('Run vllm serve <model> (it listens on port 8000).')
    expect(Array.from(container.querySelectorAll('code'), (code) => code.textContent)).toEqual(['vllm serve <model>'])
  })
})
