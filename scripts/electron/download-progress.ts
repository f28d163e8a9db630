// The progress of Electron's download on the terminal. On a TTY one line redraws in place; in a log (CI, an IDE's
// task panel, a pipe) a carriage return does nothing, so we print a new line only every tenth of the way.

export interface Progress {
  transferred: number
  /** null when the server sent no Content-Length. */
  total: number | null
}

const MB = 1024 * 1024

function megabytes(bytes: number): string {
  return (bytes / MB).toFixed(1)
}

/** "42% (45.1 of 107.3 MB)", or "45.1 MB" when the size is unknown. */
export function progressText({ transferred, total }: Progress): string {
  if (total === null || total <= 0) return `${megabytes(transferred)} MB`
  const percent = Math.min(100, Math.floor((transferred / total) * 100))
  return `${percent}% (${megabytes(transferred)} of ${megabytes(total)} MB)`
}

/**
 * Which step of the way a log line stands for: tenths of the total, or every 10 MB when the total is unknown.
 * A new line is printed only when the step grows.
 */
export function logStep({ transferred, total }: Progress): number {
  if (total === null || total <= 0) return Math.floor(transferred / (10 * MB))
  return Math.min(10, Math.floor((transferred / total) * 10))
}

export interface ProgressReporterOptions {
  /** What the line is about, e.g. "Downloading Electron 45.4.1 for linux-x64". */
  label: string
  isTTY: boolean
  write(text: string): void
  now(): number
  /** On a TTY, redraw at most this often. */
  redrawMs?: number
}

export interface ProgressReporter {
  update(progress: Progress): void
  /** Ends the line; `outcome` follows the last figure, e.g. "done". */
  finish(outcome: string): void
}

export function createProgressReporter(options: ProgressReporterOptions): ProgressReporter {
  const { label, isTTY, write, now } = options
  const redrawMs = options.redrawMs ?? 100
  let lastDraw = Number.NEGATIVE_INFINITY
  let lastStep = -1
  let last: Progress = { transferred: 0, total: null }
  let drawnOnTTY = false

  return {
    update(progress) {
      last = progress
      if (isTTY) {
        const time = now()
        if (time - lastDraw < redrawMs) return
        lastDraw = time
        // \x1b[K clears what a longer previous line left behind.
        write(`\r${label}: ${progressText(progress)}\x1b[K`)
        drawnOnTTY = true
        return
      }
      const step = logStep(progress)
      if (step <= lastStep) return
      lastStep = step
      write(`${label}: ${progressText(progress)}\n`)
    },
    finish(outcome) {
      if (isTTY) {
        write(`${drawnOnTTY ? '\r' : ''}${label}: ${progressText(last)}, ${outcome}\x1b[K\n`)
        return
      }
      write(`${label}: ${outcome}\n`)
    }
  }
}
