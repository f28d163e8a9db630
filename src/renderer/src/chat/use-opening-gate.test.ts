// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { openingPlace } from './message-window'
import { mostOpening, openingDone, openingFrames, OpeningGate, placedFrames, virtuosoPlaced } from './use-opening-gate'

const at = (startIndex: number, endIndex: number) => ({ startIndex, endIndex, firstIndex: 1_000_000 })

describe('the gate of a list opening', () => {
  it('opens once the place is drawn and the frames have passed, in either order, and gives the held edges out once', () => {
    const gate = new OpeningGate('rows:0', openingPlace(50))
    gate.hold('newer')
    gate.hold('older')
    gate.seen(at(1_000_000, 1_000_010), 101)
    gate.framesDone()
    expect(gate.opened).toBe(false)
    expect(gate.takeHeld()).toEqual([])
    gate.seen(at(1_000_040, 1_000_060), 101)
    expect(gate.opened).toBe(true)
    expect(gate.takeHeld()).toEqual(['older', 'newer'])
    expect(gate.takeHeld()).toEqual([])
  })

  it('stays shut until its frames have passed, however early the place is drawn', () => {
    const gate = new OpeningGate('rows:0', openingPlace(-1))
    gate.hold('older')
    gate.seen(at(1_000_080, 1_000_100), 101)
    expect(gate.opened).toBe(false)
    gate.framesDone()
    expect(gate.takeHeld()).toEqual(['older'])
  })
})

describe('when a list has opened', () => {
  it('once its frames have passed and Virtuoso has had it placed for the last few of them; at the latest after its most', () => {
    expect(openingDone(openingFrames, placedFrames, 0)).toBe(true)
    expect(openingDone(openingFrames - 1, placedFrames, 0)).toBe(false)
    expect(openingDone(openingFrames + 30, placedFrames - 1, 1000)).toBe(false)
    // Never placed: open after both the most frames and the most time.
    expect(openingDone(mostOpening.frames - 1, 0, mostOpening.ms)).toBe(false)
    expect(openingDone(mostOpening.frames, 0, mostOpening.ms - 1)).toBe(false)
    expect(openingDone(mostOpening.frames, 0, mostOpening.ms)).toBe(true)
  })

  it('reads Virtuoso placed from its item list: hidden until then; a list without one (not Virtuoso\'s) is placed', () => {
    const root = document.createElement('div')
    expect(virtuosoPlaced(root)).toBe(true)
    expect(virtuosoPlaced(null)).toBe(true)
    const items = document.createElement('div')
    items.dataset['testid'] = 'virtuoso-item-list'
    items.style.visibility = 'hidden'
    root.append(items)
    expect(virtuosoPlaced(root)).toBe(false)
    items.style.visibility = ''
    expect(virtuosoPlaced(root)).toBe(true)
  })
})
