import { describe, expect, it } from 'vitest'
import { LatestOnly } from './latest-only'

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

describe('LatestOnly', () => {
  it('runs one ask at a time, skips the ones overtaken while waiting, and drops an answer a newer ask overtook', async () => {
    const runner = new LatestOnly<string>()
    const started: string[] = []
    const answered: string[] = []
    const gates = new Map<string, ReturnType<typeof deferred<string>>>()
    const ask = (query: string): void =>
      runner.ask(
        () => {
          started.push(query)
          const gate = deferred<string>()
          gates.set(query, gate)
          return gate.promise
        },
        (value) => answered.push(value)
      )
    ask('j')
    ask('jo')
    ask('jou')
    ask('journal')
    expect(started).toEqual(['j'])
    gates.get('j')?.resolve('j')
    await settle()
    // "j" is dropped (newer asks came), "jo" and "jou" never ran.
    expect(started).toEqual(['j', 'journal'])
    expect(answered).toEqual([])
    gates.get('journal')?.resolve('journal')
    await settle()
    expect(answered).toEqual(['journal'])
  })

  it('answers nothing asked before stop, answers asks after it, and reports a failure of the latest ask', async () => {
    const runner = new LatestOnly<number>()
    const failures: unknown[] = []
    runner.ask(() => Promise.reject(new Error('closed')), () => undefined, (error) => failures.push(error))
    await settle()
    expect(failures).toHaveLength(1)
    const answered: number[] = []
    const gate = deferred<number>()
    runner.ask(() => gate.promise, (value) => answered.push(value))
    runner.stop()
    gate.resolve(1)
    await settle()
    expect(answered).toEqual([])
    runner.ask(() => Promise.resolve(2), (value) => answered.push(value))
    await settle()
    expect(answered).toEqual([2])
  })
})
