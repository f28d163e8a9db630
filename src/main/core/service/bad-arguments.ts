import { z } from 'zod'
import { issuesText, thousands } from '../../../shared'

/** The most of zod's own words a refusal carries (a payload can hold millions of problems). */
const maxDetail = 500

type Issue = z.ZodError['issues'][number]

/**
 * Why a call's arguments were refused, in sentences for whoever called (the window, the command line, a script): a
 * text over its limit says what it is and how long ("The prompt is too long: 1,546,830 characters, at most
 * 200,000."); any other problem is named with where it is.
 */
export function badArgumentsText(method: string, error: z.ZodError, args: unknown): string {
  const sentences: string[] = []
  const others: Issue[] = []
  for (const issue of error.issues) {
    const long = tooLongText(issue, args)
    if (long === null) others.push(issue)
    else sentences.push(long)
  }
  if (others.length > 0) {
    const detail = issuesText(new z.ZodError(others))
    sentences.push(`The arguments to ${method} are not valid: ${detail.length > maxDetail ? `${detail.slice(0, maxDetail)}…` : detail}`)
  }
  return sentences.join('\n')
}

/** "The prompt is too long: …" for a string over its maximum under a named field; null for any other problem. */
function tooLongText(issue: Issue, args: unknown): string | null {
  if (issue.code !== 'too_big' || issue.origin !== 'string') return null
  const field = issue.path.at(-1)
  const value = valueAt(args, issue.path)
  if (typeof field !== 'string' || typeof value !== 'string') return null
  return `The ${inWords(field)} is too long: ${thousands(value.length)} characters, at most ${thousands(Number(issue.maximum))}.`
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root
  for (const key of path) {
    if (typeof value !== 'object' || value === null || typeof key === 'symbol' || !Object.hasOwn(value, key)) return undefined
    value = (value as Record<string | number, unknown>)[key]
  }
  return value
}

/** A field's name as words: `prompt`, `baseUrl` → "base url". */
function inWords(field: string): string {
  return field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()
}
