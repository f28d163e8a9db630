/**
 * Plain words for what `parley` could not read on its command line, with the nearest thing it knows when one is close
 * (`--sesion` → `--session`, `rn` → `run`), as git and npm do. Node's own parseArgs messages name its internals
 * (`'-s, --session <value>'`) and quote the `--` remedy unevenly.
 */

/** The options, long and short, as parseArgs is given them. */
export interface KnownOption {
  long: string
  short?: string
  takesValue: boolean
}

/** The nearest of `known` to `given`, when it is a plausible typo of it (a letter or two off); else null. */
export function nearest(given: string, known: readonly string[]): string | null {
  const limit = given.length <= 4 ? 1 : 2
  let best: { name: string; distance: number } | null = null
  for (const name of known) {
    const distance = editDistance(given, name)
    if (distance <= limit && (best === null || distance < best.distance)) best = { name, distance }
  }
  return best?.name ?? null
}

/** The sentence for an error thrown by node:util's parseArgs, from its code and the option it names. */
export function optionProblem(error: unknown, known: readonly KnownOption[]): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : ''
  const message = error instanceof Error ? error.message : String(error)
  const named = /'(-[^',\s]*)/.exec(message)?.[1] ?? ''
  const option = known.find((o) => named === `--${o.long}` || (o.short !== undefined && named === `-${o.short}`))
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const suggestion = named.startsWith('--') ? nearest(named.slice(2), known.map((o) => o.long)) : null
      if (suggestion !== null) return `There is no option ${named}. Did you mean --${suggestion}?`
      return `There is no option ${named}. A prompt that starts with "-" goes after --: parley run -- "${named} …"`
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (option !== undefined && option.takesValue) return `--${option.long} needs a value.`
      if (option !== undefined) return `--${option.long} takes no value.`
      return message
    default:
      return message
  }
}

/** Levenshtein distance: the fewest letters added, removed or changed to turn one word into the other. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost))
    }
    previous = current
  }
  return previous[b.length] ?? 0
}
