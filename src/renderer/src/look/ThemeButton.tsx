import { useEffect, useState, type JSX } from 'react'
import { useCommand } from '../commands/use-commands'
import { Icon } from '../ui/icons'
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
      <Icon name={`theme-${choice}`} />
      {choice === 'system' ? 'System' : choice === 'light' ? 'Light' : 'Dark'}
    </button>
  )
}
