import { parseArgs } from 'node:util'
import { describe, expect, it } from 'vitest'
import { nearest, optionProblem, type KnownOption } from './usage-hints'

const known: KnownOption[] = [
  { long: 'session', short: 's', takesValue: true },
  { long: 'quiet', short: 'q', takesValue: false },
  { long: 'json', takesValue: false }
]

/** The error node:util's parseArgs throws for these arguments. */
function parseError(args: string[]): unknown {
  try {
    parseArgs({ args, strict: true, allowPositionals: true, options: { session: { type: 'string', short: 's' }, quiet: { type: 'boolean', short: 'q' }, json: { type: 'boolean' } } })
  } catch (error) {
    return error
  }
  throw new Error('parsed')
}

describe('what parley says about a command line it can not read', () => {
  it('suggests the nearest word for a typo, and nothing for a word far from every one', () => {
    expect(nearest('sesion', ['session', 'system'])).toBe('session')
    expect(nearest('qiet', ['quiet', 'json'])).toBe('quiet')
    expect(nearest('rn', ['run', 'chats'])).toBe('run')
    expect(nearest('frobnicate', ['run', 'chats', 'status', 'show'])).toBeNull()
  })

  it('an unknown option: named in plain words, the nearest one suggested, and how to send a prompt starting with "-"', () => {
    expect(optionProblem(parseError(['--sesion', 'x']), known)).toBe('There is no option --sesion. Did you mean --session?')
    expect(optionProblem(parseError(['-x']), known)).toBe('There is no option -x. A prompt that starts with "-" goes after --: parley run -- "-x …"')
  })

  it('a value missing, or given to a flag that takes none', () => {
    expect(optionProblem(parseError(['--session']), known)).toBe('--session needs a value.')
    expect(optionProblem(parseError(['-s']), known)).toBe('--session needs a value.')
    expect(optionProblem(parseError(['--json=yes']), known)).toBe('--json takes no value.')
  })
})
