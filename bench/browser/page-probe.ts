/// <reference lib="dom" />
// The part of the harness that runs inside the app's page (installed with page.addInitScript, called through
// page.evaluate). Playwright sends these functions to the page as source text, so each is self-contained: no imports,
// no module-level helpers. DOM types come from the reference above.

/** What the page recorded between `startRecording` and `stopRecording`. */
export interface PageRecording {
  /** requestAnimationFrame deltas, ms. */
  readonly frames: number[]
  /**
   * Durations of the long tasks (PerformanceObserver 'longtask', each over 50 ms), ms: from Parley's first script on
   * when the recording covers the page's load (the rest of the page's life otherwise).
   */
  readonly longTasks: number[]
  /**
   * Long tasks over before Parley's first script ran (its mark `parley:boot:for-first-steps-0`): the browser's own start
   * of the page (creating its V8 context, traced as LocalWindowProxy::Initialize), which any page has, the empty one too.
   */
  readonly beforeAppTasks: number[]
  readonly durationMs: number
}

export interface ScrollOutcome extends PageRecording {
  readonly reachedTop: boolean
}

export interface BareStreamOutcome {
  readonly tokens: number
  readonly text: string
  /** Date.now() once the last token is in the node and a frame has been painted after it. */
  readonly paintedAt: number
}

/** What the init script defines in the page, as `globalThis.__parleyBench`. */
export interface BenchProbe {
  /** Starts recording frames, and long tasks afresh (until then, long tasks are recorded from the page's start). */
  startRecording(): void
  stopRecording(): PageRecording
  /**
   * performance.now() once one of the first or last three elements matching `selector` has `text`, was shown in an
   * animation frame's callback, and the next frame has come (that frame was painted); -1 after `timeoutMs`.
   */
  whenPainted(selector: string, text: string, timeoutMs: number): Promise<number>
  /** Date.now() once painted, as above, for timings compared with another process's clock. */
  whenPaintedAt(selector: string, text: string, timeoutMs: number): Promise<number>
  /** Appends the tokens of an OpenAI-style SSE stream to one bare DOM node as they arrive. */
  bareStream(url: string): Promise<BareStreamOutcome>
  /** Scrolls `scroller` up by `stepPx` each frame until `firstText` is painted at the top, or `timeoutMs`. */
  scrollToTop(scroller: string, stepPx: number, firstSelector: string, firstText: string, timeoutMs: number): Promise<ScrollOutcome>
  /**
   * Types `text` into the `input` box as a keyboard would (its value set, then React's input event) and answers the ms
   * from then until `selector` has `count` matches (count 0: the box shows the text) and two frames have passed;
   * NaN after `timeoutMs`. Looked at after every task, so no poll interval adds to the time.
   */
  typeAndWait(input: string, text: string, selector: string, count: number, timeoutMs: number): Promise<number>
}

export type BenchWindow = typeof globalThis & { __parleyBench: BenchProbe }

/** `installBenchProbe` as an init script's text (tsx's `__name` helper, which its source calls, defined beside it). */
export const benchProbeScript = (): string => `var __name = (target) => target;\n(${installBenchProbe.toString()})()`

/** The init script: defines `globalThis.__parleyBench` before the app's own scripts run. */
export function installBenchProbe(): void {
  const frames: number[] = []
  const longTasks: { start: number; duration: number }[] = []
  let recording = false
  let startedAt = 0
  let lastFrame = -1
  const tick = (now: number): void => {
    if (!recording) return
    if (lastFrame >= 0) frames.push(now - lastFrame)
    lastFrame = now
    requestAnimationFrame(tick)
  }
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longTasks.push({ start: entry.startTime, duration: entry.duration })
    }).observe({ type: 'longtask', buffered: true })
  } catch {
    // No longtask entries in this browser: the count stays 0 and the harness says so.
  }
  const afterPaint = (): Promise<void> =>
    new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())))
  // Only the first and last few matches are read: a virtual list renders a few rows, but a sidebar without one has
  // every chat in the DOM, and reading 50,000 rows' text every few ms would slow the page being measured.
  // Shown, not only in the DOM: a virtual list keeps rows it has drawn `visibility: hidden` until it is where it opens
  // (Virtuoso, ~150 ms when a long chat opens at its end), and those are not painted for the reader.
  const shown = (element: Element): boolean => element.checkVisibility({ visibilityProperty: true })
  const ends = (selector: string): Element[] => {
    const all = document.querySelectorAll(selector)
    // Only elements that are there: with text '' (any row), an index past the end must not count as found.
    return [0, 1, 2, all.length - 3, all.length - 2, all.length - 1].flatMap((i) => {
      const element = i >= 0 && i < all.length ? all[i] : undefined
      return element ? [element] : []
    })
  }
  const withText = (selector: string, text: string): Element[] => ends(selector).filter((element) => (element.textContent ?? '').includes(text))
  const found = (selector: string, text: string): boolean => withText(selector, text).some(shown)
  /**
   * Resolves true once `text` is painted in one of `selector`'s first or last matches; false after `timeoutMs`. The
   * text is looked for every 4 ms (reading text lays nothing out); whether it is shown, only in an animation frame's
   * callback, and once it is, one more frame means it was painted. (`checkVisibility` lays the page out: called between
   * frames it was a layout of its own, up to 17 ms while an answer streamed, that the frame then did again.)
   */
  const painted = (selector: string, text: string, timeoutMs: number): Promise<boolean> =>
    new Promise((resolve) => {
      const deadline = performance.now() + timeoutMs
      const inFrame = (): void => {
        if (found(selector, text)) return void requestAnimationFrame(() => resolve(true))
        look()
      }
      const look = (): void => {
        if (performance.now() > deadline) return resolve(false)
        if (withText(selector, text).length > 0) return void requestAnimationFrame(inFrame)
        setTimeout(look, 4)
      }
      look()
    })
  const probe: BenchProbe = {
    startRecording() {
      frames.length = 0
      longTasks.length = 0
      recording = true
      startedAt = performance.now()
      lastFrame = -1
      requestAnimationFrame(tick)
    },
    stopRecording() {
      recording = false
      const appStart = performance.getEntriesByName('parley:boot:for-first-steps-0')[0]?.startTime ?? -Infinity
      const beforeApp = (task: { start: number; duration: number }): boolean => task.start + task.duration <= appStart
      return {
        frames: [...frames],
        longTasks: longTasks.filter((task) => !beforeApp(task)).map((task) => task.duration),
        beforeAppTasks: longTasks.filter(beforeApp).map((task) => task.duration),
        durationMs: performance.now() - startedAt
      }
    },
    async whenPainted(selector, text, timeoutMs) {
      if (!(await painted(selector, text, timeoutMs))) return -1
      return performance.now()
    },
    async whenPaintedAt(selector, text, timeoutMs) {
      if (!(await painted(selector, text, timeoutMs))) return -1
      return Date.now()
    },
    async bareStream(url) {
      const node = document.createElement('div')
      node.style.whiteSpace = 'pre-wrap'
      document.body.append(node)
      const text = document.createTextNode('')
      node.append(text)
      let tokens = 0
      const response = await fetch(url)
      const reader = response.body?.getReader()
      const decoder = new TextDecoder()
      let buffered = ''
      for (;;) {
        const chunk = reader ? await reader.read() : { done: true as const, value: undefined }
        if (chunk.done) break
        buffered += decoder.decode(chunk.value, { stream: true })
        const lines = buffered.split('\n')
        buffered = lines.pop() ?? ''
        for (const line of lines) {
          if (!line.startsWith('data: ') || line === 'data: [DONE]') continue
          const parsed: unknown = JSON.parse(line.slice(6))
          const content =
            typeof parsed === 'object' && parsed !== null && 'choices' in parsed && Array.isArray(parsed.choices)
              ? (parsed.choices[0] as { delta?: { content?: unknown } } | undefined)?.delta?.content
              : undefined
          // The first chunk's empty content (it carries the role) is no token.
          if (typeof content === 'string' && content !== '') {
            text.appendData(content)
            tokens += 1
          }
        }
      }
      await afterPaint()
      const paintedAt = Date.now()
      const all = text.data
      node.remove()
      return { tokens, text: all, paintedAt }
    },
    async scrollToTop(scroller, stepPx, firstSelector, firstText, timeoutMs) {
      probe.startRecording()
      const deadline = performance.now() + timeoutMs
      const reachedTop = await new Promise<boolean>((resolve) => {
        const step = (): void => {
          const element = document.querySelector(scroller)
          // As a wheel turned up scrolls: its wheel event, then the move. (A move made here, in an animation callback,
          // is heard as a scroll event only in the next frame, after the rows it shows were measured; the chat
          // follows its bottom until it hears the reader leave it.)
          element?.dispatchEvent(new WheelEvent('wheel', { deltaY: -stepPx }))
          if (element) element.scrollTop = Math.max(0, element.scrollTop - stepPx)
          if (element && element.scrollTop === 0 && found(firstSelector, firstText)) return resolve(true)
          if (performance.now() > deadline) return resolve(false)
          requestAnimationFrame(step)
        }
        requestAnimationFrame(step)
      })
      await afterPaint()
      return { ...probe.stopRecording(), reachedTop }
    },
    typeAndWait(input, text, selector, count, timeoutMs) {
      return new Promise<number>((resolve) => {
        const element = document.querySelector<HTMLInputElement>(input)
        const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set
        if (!element || !setValue) return resolve(Number.NaN)
        const started = performance.now()
        setValue.call(element, text)
        element.dispatchEvent(new Event('input', { bubbles: true }))
        // A message posted to a channel runs as the next task: the matches are seen in the task that put them in the
        // DOM, or the one after.
        const channel = new MessageChannel()
        const look = (): void => {
          const done = count === 0 ? element.value === text : document.querySelectorAll(selector).length >= count
          if (done) void afterPaint().then(() => resolve(performance.now() - started))
          else if (performance.now() - started > timeoutMs) resolve(Number.NaN)
          else channel.port2.postMessage(null)
        }
        channel.port1.onmessage = look
        look()
      })
    }
  }
  Object.assign(globalThis, { __parleyBench: probe })
}
