import { z } from 'zod'

// One row per figure in bench/reports/latest.json (issue 11, Build 5): name, value, unit, goal, baseline, met.

const finite = z.number().refine(Number.isFinite, 'a finite number')

export const baselineSchema = z
  .object({
    /** What was measured as the baseline, in the same run. */
    what: z.string().min(1),
    value: finite,
    unit: z.string().min(1)
  })
  .strict()
export type Baseline = z.infer<typeof baselineSchema>

export const measuredRowSchema = z
  .object({
    status: z.literal('measured'),
    name: z.string().min(1),
    /** What the row measures, as people read it. */
    title: z.string().min(1),
    value: finite,
    unit: z.string().min(1),
    /** The goal as people read it: `≤ 17 ms`, `≤ 1.25 × baseline`. */
    goal: z.string().min(1),
    baseline: baselineSchema,
    met: z.boolean(),
    note: z.string()
  })
  .strict()
export type MeasuredRow = z.infer<typeof measuredRowSchema>

/** A figure the harness knows but could not measure on this build (the feature is not there yet). */
export const unmeasuredRowSchema = z
  .object({
    status: z.literal('not measured'),
    name: z.string().min(1),
    title: z.string().min(1),
    value: z.null(),
    unit: z.string().min(1),
    goal: z.string().min(1),
    baseline: z.null(),
    met: z.null(),
    note: z.string().min(1)
  })
  .strict()
export type UnmeasuredRow = z.infer<typeof unmeasuredRowSchema>

export const benchRowSchema = z.discriminatedUnion('status', [measuredRowSchema, unmeasuredRowSchema])
export type BenchRow = z.infer<typeof benchRowSchema>

export const benchReportSchema = z
  .object({
    date: z.string().min(1),
    machine: z.object({ cpus: z.number().int().positive(), cpu: z.string(), memoryGiB: z.number(), node: z.string(), chromium: z.string(), loadAverage: z.array(z.number()).length(3) }).strict(),
    /** The sizes this run used: `full` for `npm run bench`, `smoke` for the test. */
    scale: z.string().min(1),
    rows: z.array(benchRowSchema)
  })
export type BenchReport = z.infer<typeof benchReportSchema>

export type RowInput = Omit<MeasuredRow, 'status' | 'note'> & { note?: string }

export function measured(row: RowInput): MeasuredRow {
  return { status: 'measured', ...row, note: row.note ?? '' }
}

export function notMeasured(row: Pick<UnmeasuredRow, 'name' | 'title' | 'unit' | 'goal' | 'note'>): UnmeasuredRow {
  return { status: 'not measured', ...row, value: null, baseline: null, met: null }
}

export { median, quantile } from '../src/shared/quantile'

/** The largest value, 0 for none (no long task is a longest task of 0 ms). */
export const largest = (values: readonly number[]): number => values.reduce((a, b) => Math.max(a, b), 0)

const shown = (value: number): string =>
  Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2)

/** The rows as a Markdown table. */
export function rowsTable(rows: readonly BenchRow[]): string {
  const lines = ['| figure | result | baseline (same run) | goal | |', '|---|---|---|---|---|']
  for (const row of rows) {
    if (row.status === 'not measured') {
      lines.push(`| ${row.title} | ${row.note} | | ${row.goal} | not measured |`)
      continue
    }
    const note = row.note ? ` (${row.note})` : ''
    lines.push(
      `| ${row.title} | ${shown(row.value)} ${row.unit}${note} | ${shown(row.baseline.value)} ${row.baseline.unit}: ${row.baseline.what} | ${row.goal} | ${row.met ? 'meets the goal' : 'MISSES the goal'} |`
    )
  }
  return lines.join('\n')
}
