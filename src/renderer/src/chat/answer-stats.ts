import type { Message } from '../../../shared'
import { count } from '../restore/restore-progress'

/** One figure of an answer's stats line, with the name a test or a screen reader knows it by. */
export interface AnswerStat {
  name: 'model' | 'tokens' | 'first-token' | 'speed' | 'duration'
  text: string
  /** What the figure means, for a tooltip. */
  title: string
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`
}

/**
 * What is known about how an answer was made: its model, the tokens in and out and the speed (only when the provider
 * reported usage: nothing is estimated), the time to the first token and the whole time. Empty for an answer still
 * streaming, and for one that never reached a model.
 */
export function answerStats(message: Pick<Message, 'status' | 'model' | 'usage' | 'timings'>): AnswerStat[] {
  if (message.status !== 'finished' || !message.model) return []
  const stats: AnswerStat[] = [{ name: 'model', text: message.model, title: 'The model that answered' }]
  const { usage, timings } = message
  if (usage) {
    stats.push({
      name: 'tokens',
      // Grouped by hand: `toLocaleString` loads the number formats on its first call, a 50 ms task as an answer ends.
      text: `${count(usage.inputTokens)} in · ${count(usage.outputTokens)} out`,
      title: 'Tokens read and written, as the provider reported them'
    })
  }
  if (timings?.firstTokenMs !== undefined) {
    stats.push({ name: 'first-token', text: `TTFT ${seconds(timings.firstTokenMs)}`, title: 'Time to the first token' })
  }
  if (timings?.tokensPerSecond !== undefined) {
    const rate = timings.tokensPerSecond
    stats.push({ name: 'speed', text: `${rate.toFixed(rate < 100 ? 1 : 0)} tok/s`, title: 'Tokens written a second' })
  }
  if (timings?.durationMs !== undefined) {
    stats.push({ name: 'duration', text: seconds(timings.durationMs), title: 'From the request to the end of the answer' })
  }
  return stats
}
