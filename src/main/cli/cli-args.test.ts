import { describe, expect, it } from 'vitest'
import { defaultTimeoutSeconds, readInvocation, UsageError } from './cli-args'

describe('parley\'s command line', () => {
  it('reads a run: a new chat by default, the prompt words, options before or after them', () => {
    expect(readInvocation(['run', 'review', 'this', '--json', '--timeout', '30', '--data-dir', '/tmp/p'])).toEqual({
      command: {
        kind: 'run',
        target: { kind: 'new' },
        model: null,
        system: null,
        timeoutSeconds: 30,
        output: 'json',
        words: ['review', 'this'],
        attach: [],
        failFast: false
      },
      dataDir: '/tmp/p'
    })
    const run = readInvocation(['run', '--session', 'chat-1', '-m', 'ollama/qwen3', '--system', 'Be brief.', '-q']).command
    expect(run).toMatchObject({
      target: { kind: 'session', sessionId: 'chat-1' },
      model: 'ollama/qwen3',
      system: 'Be brief.',
      output: 'quiet',
      timeoutSeconds: defaultTimeoutSeconds,
      words: [],
      attach: []
    })
    expect(readInvocation(['run', '--continue', 'and', 'then?']).command).toMatchObject({ target: { kind: 'latest' }, words: ['and', 'then?'] })
    expect(readInvocation(['run', '-c', 'more']).command).toMatchObject({ target: { kind: 'latest' } })
    expect(readInvocation(['run', '--fail-fast', 'hi']).command).toMatchObject({ failFast: true, words: ['hi'] })
    expect(() => readInvocation(['chats', '--fail-fast'])).toThrow(/--fail-fast does not go with `parley chats`/)
    expect(readInvocation(['run', '--attach', 'a.png', '-a', 'b.pdf', 'what', 'is', 'this']).command).toMatchObject({
      attach: ['a.png', 'b.pdf'],
      words: ['what', 'is', 'this']
    })
  })

  it('reads the other commands, --help and --version (help wins over anything else)', () => {
    expect(readInvocation(['chats']).command).toEqual({ kind: 'chats', json: false })
    expect(readInvocation(['status', '--json']).command).toEqual({ kind: 'status', json: true })
    expect(readInvocation(['show', 'abc']).command).toEqual({ kind: 'show', sessionId: 'abc' })
    expect(readInvocation(['--help']).command).toEqual({ kind: 'help' })
    expect(readInvocation(['run', '--nope', '-h']).command).toEqual({ kind: 'help' })
    expect(readInvocation(['--version']).command).toEqual({ kind: 'version' })
  })

  it.each([
    [[]],
    [['fly']],
    [['run', '--session', 'a', '--new']],
    [['run', '--continue', '--new']],
    [['run', '-c', '--session', 'a']],
    [['run', '--json', '--quiet']],
    [['run', '--timeout', '0']],
    [['run', '--timeout', 'soon']],
    [['run', '--unknown']],
    [['chats', '--model', 'x']],
    [['chats', 'extra']],
    [['show']],
    [['show', 'a', 'b']]
  ])('refuses %j as bad usage (exit 2)', (args) => {
    expect(() => readInvocation(args)).toThrow(UsageError)
  })

  it('says what is wrong in plain words, with the nearest command or option for a typo, and the usage of the command meant', () => {
    const problem = (args: string[]): string => {
      try {
        readInvocation(args)
      } catch (error) {
        if (error instanceof UsageError) return error.message
      }
      throw new Error('no usage error')
    }
    expect(problem(['rn', 'hi'])).toMatch(/^There is no command "rn"\. Did you mean `parley run`\?/)
    expect(problem(['run', '--sesion', 'abc', 'hi'])).toMatch(/^There is no option --sesion\. Did you mean --session\?/)
    expect(problem(['run', '--session'])).toMatch(/^--session needs a value\.\nusage: parley run /)
    expect(problem(['chats', 'extra'])).toMatch(/^`parley chats` takes no words\.\nusage: parley chats \[--json\]/)
    expect(problem(['status', '--quiet'])).toMatch(/^--quiet does not go with `parley status`\.\nusage: parley status \[--json\]/)
    expect(problem(['run', '-5', 'degrees'])).toContain('parley run -- "-5 …"')
  })
})
