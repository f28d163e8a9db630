import { describe, expect, it } from 'vitest'
import { benchRowSchema, largest, measured, median, notMeasured, quantile, rowsTable } from './report'

describe('bench report rows', () => {
  it('take quantiles by nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(quantile(values, 0.95)).toBe(95)
    expect(median([3, 1, 2])).toBe(2)
    expect(quantile([], 0.5)).toBeNaN()
    expect(largest([])).toBe(0)
    expect(largest([4, 60, 51])).toBe(60)
  })

  it('accept a measured row and a not-measured row, and refuse a measured row without a finite value', () => {
    const row = measured({
      name: 'x',
      title: 'X',
      value: 12,
      unit: 'ms',
      goal: '≤ 17 ms',
      baseline: { what: 'idle', value: 16.7, unit: 'ms' },
      met: true
    })
    expect(benchRowSchema.parse(row)).toEqual({ ...row, note: '' })
    const missing = notMeasured({ name: 's', title: 'S', unit: 'ms', goal: '≤ 30 ms', note: 'not measured: no search yet' })
    expect(benchRowSchema.parse(missing).value).toBeNull()
    expect(benchRowSchema.safeParse({ ...row, value: Number.NaN }).success).toBe(false)
    expect(benchRowSchema.safeParse({ ...row, baseline: null }).success).toBe(false)
  })

  it('print one table line per row, saying whether each meets its goal', () => {
    const table = rowsTable([
      measured({ name: 'a', title: 'A', value: 20, unit: 'ms', goal: '≤ 17 ms', baseline: { what: 'b', value: 1, unit: 'ms' }, met: false }),
      notMeasured({ name: 's', title: 'S', unit: 'ms', goal: '≤ 30 ms', note: 'not measured: no search yet' })
    ]).split('\n')
    expect(table).toHaveLength(4)
    expect(table[2]).toContain('MISSES the goal')
    expect(table[3]).toContain('not measured: no search yet')
  })
})
