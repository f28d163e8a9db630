import { useState, type JSX } from 'react'
import { CommandPalette } from './CommandPalette'
import { ShortcutsSheet } from './ShortcutsSheet'
import { useCommand } from './use-commands'

/** The palette (Ctrl+Shift+P) and the shortcuts sheet (`?`), opened by their commands. */
export function CommandDialogs(): JSX.Element | null {
  const [open, setOpen] = useState<'palette' | 'shortcuts' | null>(null)
  useCommand('command-palette', () => setOpen('palette'))
  useCommand('shortcuts', () => setOpen('shortcuts'))
  if (open === 'palette') return <CommandPalette onClose={() => setOpen(null)} />
  if (open === 'shortcuts') return <ShortcutsSheet onClose={() => setOpen(null)} />
  return null
}
