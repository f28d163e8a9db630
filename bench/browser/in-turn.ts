/**
 * Runs each measurement once per round, in turn (a, b, a, b…), and answers each one's results in its own list. A
 * figure and its baseline taken this way meet the same moments of the machine: taken one after the other, minutes
 * apart, a machine that got slower or faster meanwhile moved their ratio (the empty app painted in 242–559 ms across
 * one day's runs on the bench's machine).
 */
export async function inTurn<T>(measurements: readonly (() => Promise<T>)[], rounds: number): Promise<T[][]> {
  const results = measurements.map((): T[] => [])
  for (let round = 0; round < rounds; round++) {
    for (const [index, measure] of measurements.entries()) results[index]?.push(await measure())
  }
  return results
}
