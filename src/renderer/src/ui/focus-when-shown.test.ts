// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { focusWhenShown, mostFocusFrames, type FocusScheduler } from './focus-when-shown'

/** Frames run by hand. */
function handFrames(): FocusScheduler & { step(): void; pending(): number } {
  let queue: { handle: number; run: () => void }[] = []
  let next = 1
  return {
    next(run) {
      queue.push({ handle: next, run })
      return next++
    },
    cancel(handle) {
      queue = queue.filter((entry) => entry.handle !== handle)
    },
    step() {
      const now = queue
      queue = []
      for (const entry of now) entry.run()
    },
    pending: () => queue.length
  }
}

/** A textarea that refuses focus until `shown` is set, as one under a `visibility: hidden` row does. */
function hiddenBox(): { box: HTMLTextAreaElement; show(): void; calls(): number } {
  const box = document.createElement('textarea')
  document.body.append(box)
  let shown = false
  let calls = 0
  const focus = box.focus.bind(box)
  box.focus = () => {
    calls += 1
    if (shown) focus()
  }
  return { box, show: () => (shown = true), calls: () => calls }
}

afterEach(() => {
  document.body.replaceChildren()
})

describe('focusWhenShown', () => {
  it('focuses at once when it can, and asks for no frame', () => {
    const frames = handFrames()
    const { box, show } = hiddenBox()
    show()
    focusWhenShown(box, frames)
    expect(document.activeElement).toBe(box)
    expect(frames.pending()).toBe(0)
  })

  it('takes the focus from the composer the frame the box can take it', () => {
    const composer = document.createElement('textarea')
    document.body.append(composer)
    composer.focus()
    const frames = handFrames()
    const { box, show } = hiddenBox()
    focusWhenShown(box, frames)
    frames.step()
    frames.step()
    expect(document.activeElement).toBe(composer)
    show()
    frames.step()
    expect(document.activeElement).toBe(box)
    expect(frames.pending()).toBe(0)
  })

  it('gives up when the focus moved elsewhere meanwhile: the person went on', () => {
    const frames = handFrames()
    const { box, show, calls } = hiddenBox()
    focusWhenShown(box, frames)
    const elsewhere = document.createElement('input')
    document.body.append(elsewhere)
    elsewhere.focus()
    show()
    frames.step()
    expect(document.activeElement).toBe(elsewhere)
    expect(calls()).toBe(1)
    expect(frames.pending()).toBe(0)
  })

  it(`stops after ${mostFocusFrames} tries, and when stopped`, () => {
    const frames = handFrames()
    const never = hiddenBox()
    focusWhenShown(never.box, frames)
    for (let frame = 0; frame < 2 * mostFocusFrames; frame++) frames.step()
    expect(never.calls()).toBe(mostFocusFrames)

    const stopped = hiddenBox()
    const stop = focusWhenShown(stopped.box, frames)
    stop()
    stopped.show()
    frames.step()
    expect(stopped.calls()).toBe(1)
    expect(document.activeElement).not.toBe(stopped.box)
  })
})
