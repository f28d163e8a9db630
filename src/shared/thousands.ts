/**
 * 1,234,567: a count as people read it, thousands separated by hand. `toLocaleString` loads the browser's number
 * formats on its first call, a 312 ms task in the middle of a rebuild under load (bench/browser, decisions.md).
 */
export const thousands = (n: number): string => String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
