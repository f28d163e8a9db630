import { fingerprintOf } from '../first-screen'

/** How much HTML the window keeps of answers it has drawn (characters; about twice as many bytes). */
export const drawnAnswersMaxChars = 4_000_000

/**
 * The HTML of finished answers as last drawn formatted, by message, newest kept last: an answer drawn again (scrolled
 * back to; Virtuoso drew it afresh) shows it while the stack formats it anew in the background, at the height it will
 * have. Drawn as written meanwhile, a long answer was hundreds of pixels taller for a few frames, and Virtuoso, making
 * room for the difference above the view, moved a reader scrolling up 860 px down (the long-chat e2e, 2–5 runs in 40).
 */
export class DrawnAnswers {
  private readonly answers = new Map<string, { fingerprint: string; html: string }>()
  private chars = 0

  constructor(private readonly maxChars = drawnAnswersMaxChars) {}

  keep(messageId: string, text: string, html: string): void {
    this.forget(messageId)
    if (html.length > this.maxChars) return
    this.answers.set(messageId, { fingerprint: fingerprintOf(text), html })
    this.chars += html.length
    for (const [oldest, answer] of this.answers) {
      if (this.chars <= this.maxChars) break
      this.answers.delete(oldest)
      this.chars -= answer.html.length
    }
  }

  /** The answer's HTML as last drawn, while `text` is still the text it was drawn from. */
  htmlOf(messageId: string, text: string): string | undefined {
    const answer = this.answers.get(messageId)
    return answer !== undefined && answer.fingerprint === fingerprintOf(text) ? answer.html : undefined
  }

  private forget(messageId: string): void {
    const answer = this.answers.get(messageId)
    if (answer === undefined) return
    this.answers.delete(messageId)
    this.chars -= answer.html.length
  }
}

/** The window's. */
export const drawnAnswers = new DrawnAnswers()
