import { useEffect, useState, type JSX } from 'react'
import { useCommand } from '../commands/use-commands'
import { applyTheme, nextTheme, preferenceStorage, readThemeChoice, saveThemeChoice, themeLabels, type ThemeChoice } from './theme'

/** The theme switch in the sidebar's foot (System → Light → Dark), and the palette's three theme commands. */
export function ThemeButton(): JSX.Element {
  const [choice, setChoice] = useState<ThemeChoice>(() => readThemeChoice(preferenceStorage()))
  useEffect(() => {
    applyTheme(document.documentElement, choice)
    saveThemeChoice(preferenceStorage(), choice)
  }, [choice])
  useCommand('theme-system', () => setChoice('system'))
  useCommand('theme-light', () => setChoice('light'))
  useCommand('theme-dark', () => setChoice('dark'))
  const label = `${themeLabels[choice]} (click for ${themeLabels[nextTheme(choice)].toLowerCase()})`
  return (
    <button
      type="button"
      className="button ghost theme-button"
      data-testid="theme-button"
      data-theme-choice={choice}
      aria-label={label}
      title={label}
      onClick={() => setChoice(nextTheme(choice))}
    >
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
        <circle cx="8" cy="8" r="5.5" fill="none" stroke="currentColor" strokeWidth="1.4" />
        {choice === 'system' ? <path d="M8 2.5v11A5.5 5.5 0 0 0 8 2.5z" fill="currentColor" /> : null}
        {choice === 'dark' ? <circle cx="8" cy="8" r="5.5" fill="currentColor" /> : null}
      </svg>
      {choice === 'system' ? 'System' : choice === 'light' ? 'Light' : 'Dark'}
    </button>
  )
}
