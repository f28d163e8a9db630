import { useRef, type JSX } from 'react'
import { isMac } from '../commands/platform'
import { chordLabel, commands } from '../commands/registry'
import { useCommand } from '../commands/use-commands'
import { IconButton } from '../ui/IconButton'

const attachChord = commands.find((command) => command.id === 'attach-files')?.shortcut?.chord

/** The composer's paperclip and the file picker it opens (so does the Attach files command, Ctrl+U). */
export function AttachPicker(props: { onFiles: (files: readonly File[]) => void }): JSX.Element {
  const picker = useRef<HTMLInputElement>(null)
  useCommand('attach-files', () => picker.current?.click())
  const attachLabel = attachChord ? chordLabel(attachChord, isMac()) : ''
  return (
    <>
      <IconButton icon="paperclip" className="attach-button" testId="attach-button" label={`Attach files (${attachLabel})`} onClick={() => picker.current?.click()} />
      <input
        ref={picker}
        type="file"
        multiple
        hidden
        data-testid="attach-input"
        onChange={(event) => {
          props.onFiles(Array.from(event.target.files ?? []))
          // The same file chosen again is a new attachment.
          event.target.value = ''
        }}
      />
    </>
  )
}
