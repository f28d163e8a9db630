import { whenIdle } from '../../later/when-idle'

/** How much HTML the window keeps of answers it has drawn (characters; about twice as many bytes). */
export const drawnAnswersMaxChars = 4_000_000

/** How many answers that left the list wait at most for their HTML to be read (the newest are kept). */
export const drawnAnswersMaxUnread = 24

/** An answer's HTML as drawn, read when it is needed (`undefined`: not kept, e.g. a block was not formatted yet). */
export type DrawnHtml = () => string | undefined

type Kept = { readonly text: string; readonly html: string } | { readonly text: string; readonly drawn: DrawnHtml }

/**
 * The HTML of finished answers as last drawn formatted, by message, newest kept last: an answer drawn again (scrolled
 * back to; Virtuoso drew it afresh) shows it while the stack formats it anew in the background, at the height it will
 * have. Drawn as written meanwhile, a long answer was hundreds of pixels taller for a few frames, and Virtuoso, making
 * room for the difference above the view, moved a reader scrolling up 860 px down (the long-chat e2e, 2–5 runs in 40).
 *
 * The HTML is read from the answer's element once the window is idle (`later`), or at once when it is asked for first:
 * an answer leaves the list while another streams in, and reading a 70 KB answer's HTML (and hashing its text) in the
 * task that removes it cost that frame 15–25 ms. An answer is told apart from its edits by its text itself (the same
 * string the message holds, compared natively), not a hash of it.
 */
export class DrawnAnswers {
  private readonly answers = new Map<string, Kept>()
  private chars = 0
  private reading = false
  /** The answers whose HTML is not read yet, oldest first. */
  private readonly unreadIds = new Set<string>()

  constructor(
    private readonly maxChars = drawnAnswersMaxChars,
    private readonly later: () => Promise<void> = () => whenIdle(1000),
    private readonly maxUnread = drawnAnswersMaxUnread
  ) {}

  /** Keeps what `drawn` gives for the answer `text` (its element's HTML, read later: the element no longer changes). */
  keep(messageId: string, text: string, drawn: DrawnHtml): void {
    this.forget(messageId)
    // Counted once read. A fling leaves answers faster than idle periods come: past `maxUnread`, the oldest are not
    // kept (each holds its element, out of the page, until read).
    this.answers.set(messageId, { text, drawn })
    this.unreadIds.add(messageId)
    for (const oldest of this.unreadIds) {
      if (this.unreadIds.size <= this.maxUnread) break
      this.forget(oldest)
    }
    this.readSoon()
  }

  /** The answer's HTML as last drawn, while `text` is still the text it was drawn from. */
  htmlOf(messageId: string, text: string): string | undefined {
    const answer = this.answers.get(messageId)
    if (answer === undefined || answer.text !== text) return undefined
    return 'html' in answer ? answer.html : this.read(messageId, answer)
  }

  /** Answers kept whose HTML is not read yet. */
  get unread(): number {
    return this.unreadIds.size
  }

  private read(messageId: string, answer: { readonly text: string; readonly drawn: DrawnHtml }): string | undefined {
    const html = answer.drawn()
    this.forget(messageId)
    if (html === undefined || html.length > this.maxChars) return undefined
    this.answers.set(messageId, { text: answer.text, html })
    this.chars += html.length
    this.trim()
    return this.answers.has(messageId) ? html : undefined
  }

  private readSoon(): void {
    if (this.reading) return
    this.reading = true
    void this.later().then(() => {
      this.reading = false
      // One answer an idle period: read all at once, those a fling left were a long task of their own.
      const [messageId] = this.unreadIds
      const answer = messageId === undefined ? undefined : this.answers.get(messageId)
      if (messageId !== undefined && answer !== undefined && 'drawn' in answer) this.read(messageId, answer)
      if (this.unreadIds.size > 0) this.readSoon()
    })
  }

  /** Forgets the answers read longest ago until their HTML is within `maxChars` (unread ones count nothing yet). */
  private trim(): void {
    for (const [oldest, answer] of this.answers) {
      if (this.chars <= this.maxChars) break
      if ('html' in answer) this.forget(oldest)
    }
  }

  private forget(messageId: string): void {
    this.unreadIds.delete(messageId)
    const answer = this.answers.get(messageId)
    if (answer === undefined) return
    this.answers.delete(messageId)
    this.chars -= sizeOf(answer)
  }
}

/** What an answer kept counts against the budget: its HTML, nothing until it is read. */
function sizeOf(answer: Kept): number {
  return 'html' in answer ? answer.html.length : 0
}

/** The window's. */
export const drawnAnswers = new DrawnAnswers()
