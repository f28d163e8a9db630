import type { JSX } from 'react'
import type { Message } from '../../../shared'
import { answerStats } from './answer-stats'

/** The line under an answer: model, tokens in and out, time to first token, tokens per second, whole time. */
export function AnswerStats(props: { message: Pick<Message, 'status' | 'model' | 'usage' | 'timings'> }): JSX.Element | null {
  const stats = answerStats(props.message)
  if (stats.length === 0) return null
  return (
    <p className="answer-stats" data-testid="answer-stats">
      {stats.map((stat) => (
        <span key={stat.name} className="answer-stat" data-stat={stat.name} title={stat.title}>
          {stat.text}
        </span>
      ))}
    </p>
  )
}
