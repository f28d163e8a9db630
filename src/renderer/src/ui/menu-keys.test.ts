import { describe, expect, it } from 'vitest'
import { menuKey } from './menu-keys'

describe('the keys of a menu opened from a button', () => {
  it('Down and Up go through the items and wrap around; from the button Down takes the first, Up the last', () => {
    expect(menuKey('ArrowDown', 0, 3)).toEqual({ kind: 'go', to: 1 })
    expect(menuKey('ArrowDown', 2, 3)).toEqual({ kind: 'go', to: 0 })
    expect(menuKey('ArrowUp', 0, 3)).toEqual({ kind: 'go', to: 2 })
    expect(menuKey('ArrowDown', -1, 3)).toEqual({ kind: 'go', to: 0 })
    expect(menuKey('ArrowUp', -1, 3)).toEqual({ kind: 'go', to: 2 })
  })

  it('Home and End take the first and the last item', () => {
    expect(menuKey('Home', 2, 3)).toEqual({ kind: 'go', to: 0 })
    expect(menuKey('End', 0, 3)).toEqual({ kind: 'go', to: 2 })
  })

  it('Esc and Tab close it; other keys are not the menu’s; a menu of nothing only closes', () => {
    expect(menuKey('Escape', 1, 3)).toEqual({ kind: 'close', how: 'escape' })
    expect(menuKey('Tab', 1, 3)).toEqual({ kind: 'close', how: 'tab' })
    expect(menuKey('a', 1, 3)).toBeUndefined()
    expect(menuKey('ArrowDown', -1, 0)).toBeUndefined()
    expect(menuKey('Escape', -1, 0)).toEqual({ kind: 'close', how: 'escape' })
  })
})
