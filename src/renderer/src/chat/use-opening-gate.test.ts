import { describe, expect, it } from 'vitest'
import { openingPlace } from './message-window'
import { OpeningGate } from './use-opening-gate'

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
