import { messageText, type ParleyEvent, type RunComplete } from '../../shared'
import type { RunOutput } from './cli-args'

/**
 * What one `parley run` prints on stdout, from the events it hears: only its own run's assistant messages (matched
 * by runId when they are created), streamed as they grow; then, at its RunComplete, what is still missing.
 * `json` prints the RunComplete alone, `quiet` its final text alone.
 */
export class RunPrinter {
  private readonly ours = new Set<string>()
  /** What was printed of each of our messages, so a replayed or final text adds only what is new. */
  private readonly printed = new Map<string, string>()
  private lastChar = '\n'
  private any = false
  /** The newest event taken: one heard again (a replay after a reconnect) changes nothing. */
  private lastSeq = 0

  constructor(
    private readonly runId: string,
    private readonly output: RunOutput,
    private readonly write: (text: string) => void
  ) {}

  take(event: ParleyEvent): void {
    if (this.output !== 'stream' || event.seq <= this.lastSeq) return
    this.lastSeq = event.seq
    switch (event.type) {
      case 'message.created':
        if (event.message.runId === this.runId && event.message.role === 'assistant') this.ours.add(event.message.id)
        return
      case 'message.delta':
        if (this.ours.has(event.messageId) && event.text) this.print(event.messageId, (this.printed.get(event.messageId) ?? '') + event.text)
        return
      case 'message.finished':
        if (this.ours.has(event.message.id)) {
          this.print(event.message.id, messageText(event.message))
        }
        return
      default:
        return
    }
  }

  /** The run is over: print what it still owes. */
  finish(complete: RunComplete): void {
    switch (this.output) {
      case 'json':
        this.write(`${JSON.stringify(complete)}\n`)
        return
      case 'quiet':
        if (complete.error === undefined && !complete.cancelled) this.write(withNewline(complete.text))
        return
      case 'stream':
        // Nothing streamed (the events were missed across a restart): the final text stands for them.
        if (!this.any && complete.text !== '') this.emit(complete.text)
        if (this.any && this.lastChar !== '\n') this.emit('\n')
        return
    }
  }

  /**
   * The run was stopped before its end (Ctrl+C, SIGTERM, --timeout): the text streamed so far stays, and its line is
   * ended, so the shell's prompt (or the next line a script prints) does not start in the middle of it.
   */
  cut(): void {
    if (this.output === 'stream' && this.any && this.lastChar !== '\n') this.emit('\n')
  }

  /** Prints the part of `text` not printed yet; a text that no longer starts with what was printed adds nothing. */
  private print(messageId: string, text: string): void {
    const before = this.printed.get(messageId) ?? ''
    if (!text.startsWith(before) || text.length === before.length) return
    this.printed.set(messageId, text)
    this.emit(text.slice(before.length))
  }

  private emit(text: string): void {
    if (text === '') return
    this.any = true
    this.lastChar = text.at(-1) ?? this.lastChar
    this.write(text)
  }
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`
}
