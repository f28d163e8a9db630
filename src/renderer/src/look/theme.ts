/** Light, dark, or whatever the system says (the default). */
export const themeChoices = ['system', 'light', 'dark'] as const
export type ThemeChoice = (typeof themeChoices)[number]

/**
 * Whether a stored value is one of the choices. The one boundary read without zod, on purpose: this module is in
 * the window's entry chunk, read before the first paint, and zod there was 30-60 ms of the first task (issue 11).
 */
export function isThemeChoice(value: unknown): value is ThemeChoice {
  return themeChoices.some((choice) => choice === value)
}

const storageKey = 'parley.theme'

/** What a preference store needs to offer (localStorage, or a map in tests). */
export interface PreferenceStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

/** The saved choice; anything unreadable (a damaged value, storage refused) is the system's. */
export function readThemeChoice(storage: PreferenceStorage | undefined): ThemeChoice {
  try {
    const stored = storage?.getItem(storageKey)
    return isThemeChoice(stored) ? stored : 'system'
  } catch {
    return 'system'
  }
}

/** Saves the choice; a window whose storage is refused still shows it, until it is reloaded. */
export function saveThemeChoice(storage: PreferenceStorage | undefined, choice: ThemeChoice): void {
  try {
    storage?.setItem(storageKey, choice)
  } catch {
    // Storage refused (a private window, quota): the choice holds for this page only.
  }
}

/** The stylesheet picks its colours from `data-theme` on the root (none: the system's scheme). */
export function applyTheme(root: HTMLElement, choice: ThemeChoice): void {
  if (choice === 'system') delete root.dataset['theme']
  else root.dataset['theme'] = choice
}

/** The next choice of the theme button: System → Light → Dark → System. */
export function nextTheme(choice: ThemeChoice): ThemeChoice {
  return choice === 'system' ? 'light' : choice === 'light' ? 'dark' : 'system'
}

export const themeLabels: Record<ThemeChoice, string> = { system: 'System theme', light: 'Light theme', dark: 'Dark theme' }

/** The window's localStorage, or undefined where touching it throws (storage disabled). */
export function preferenceStorage(): Storage | undefined {
  try {
    return globalThis.localStorage
  } catch {
    return undefined
  }
}
