/**
 * Where a key moves the focus in the sidebar's rows (`count` of them, the focus on row `index`): Up and Down one row,
 * Home and End to the ends. Undefined for any other key, and for a move past either end.
 */
export function rowAfterKey(key: string, index: number, count: number): number | undefined {
  const next = key === 'ArrowDown' ? index + 1 : key === 'ArrowUp' ? index - 1 : key === 'Home' ? 0 : key === 'End' ? count - 1 : undefined
  if (next === undefined || next < 0 || next >= count || next === index) return undefined
  return next
}
