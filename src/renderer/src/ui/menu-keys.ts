import { moveChoice } from './palette-keys'

/** What a key does in a menu opened from a button (WAI-ARIA's menu button): go to an item, or close. */
export type MenuKey = { kind: 'go'; to: number } | { kind: 'close'; how: 'escape' | 'tab' }

/**
 * Down and Up go to the next or previous item, wrapping; Home and End to the first or last; from outside the items
 * (the button) Down goes to the first and Up to the last. Esc closes (the focus goes back to the button); Tab closes
 * and lets the focus go on. Any other key is not the menu's.
 */
export function menuKey(key: string, at: number, count: number): MenuKey | undefined {
  if (count === 0) return key === 'Escape' ? { kind: 'close', how: 'escape' } : undefined
  switch (key) {
    case 'ArrowDown':
      return { kind: 'go', to: at < 0 ? 0 : moveChoice(at, 1, count) }
    case 'ArrowUp':
      return { kind: 'go', to: at < 0 ? count - 1 : moveChoice(at, -1, count) }
    case 'Home':
      return { kind: 'go', to: 0 }
    case 'End':
      return { kind: 'go', to: count - 1 }
    case 'Escape':
      return { kind: 'close', how: 'escape' }
    case 'Tab':
      return { kind: 'close', how: 'tab' }
    default:
      return undefined
  }
}
