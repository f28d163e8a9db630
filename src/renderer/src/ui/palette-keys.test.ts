import { describe, expect, it } from 'vitest'
import { moveChoice, paletteKey } from './palette-keys'

describe('the keys of a palette', () => {
  it('Down and Up move through the choices and wrap around', () => {
    expect(moveChoice(0, 1, 3)).toBe(1)
    expect(moveChoice(2, 1, 3)).toBe(0)
    expect(moveChoice(0, -1, 3)).toBe(2)
    expect(moveChoice(0, 1, 0)).toBe(0)
  })

  it('Esc closes, Enter chooses, Up and Down move, and the rest is typing', () => {
    expect(paletteKey('Escape', 1, 3)).toEqual({ kind: 'close' })
    expect(paletteKey('Enter', 1, 3)).toEqual({ kind: 'choose' })
    expect(paletteKey('ArrowDown', 2, 3)).toEqual({ kind: 'move', to: 0 })
    expect(paletteKey('ArrowUp', 0, 3)).toEqual({ kind: 'move', to: 2 })
    expect(paletteKey('a', 0, 3)).toBeUndefined()
  })
})
