import type { JSX } from 'react'
import { useCommandHandlers } from '../commands/use-commands'
import { ThemeButton } from '../look/ThemeButton'
import { Icon } from '../ui/icons'

/** The sidebar's foot: Settings, Import and the theme. */
export function SidebarFoot(props: { onOpenSettings: () => void }): JSX.Element {
  const commands = useCommandHandlers()
  return (
    <div className="sidebar-foot">
      <button type="button" className="button ghost" data-testid="settings-button" onClick={props.onOpenSettings}>
        <Icon name="gear" />
        Settings
      </button>
      <button
        type="button"
        className="button ghost"
        data-testid="import-button"
        title="Import chats: a Parley export or ChatGPT's conversations.json"
        onClick={() => commands.run('import-chats')}
      >
        Import
      </button>
      <ThemeButton />
    </div>
  )
}
