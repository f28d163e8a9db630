/** What a key does in a palette (a box above a list of choices: the command palette, search). */
export type PaletteKey = { kind: 'close' } | { kind: 'choose' } | { kind: 'move'; to: number }

/** The choice after pressing Up (-1) or Down (+1): wraps around at either end; nothing to choose stays at 0. */
export function moveChoice(at: number, step: -1 | 1, count: number): number {
  if (count === 0) return 0
  return (((at + step) % count) + count) % count
}

/** Esc closes, Enter chooses, Up and Down move (wrapping); any other key is the input's. */
export function paletteKey(key: string, at: number, count: number): PaletteKey | undefined {
  switch (key) {
    case 'Escape':
      return { kind: 'close' }
    case 'Enter':
      return { kind: 'choose' }
    case 'ArrowDown':
      return { kind: 'move', to: moveChoice(at, 1, count) }
    case 'ArrowUp':
      return { kind: 'move', to: moveChoice(at, -1, count) }
    default:
      return undefined
  }
}
