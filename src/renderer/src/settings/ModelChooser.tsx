import type { JSX } from 'react'
import { ModelField, type ModelLists } from './ModelField'
import { RoomFields } from './RoomFields'
import { withAnswering, type SettingsDraft } from './settings-form'
import { useServedContext } from './use-served-context'

export interface ModelChooserProps extends ModelLists {
  onDraft: (draft: SettingsDraft) => void
}

/** Which provider and model answer, and which write titles: from any configured provider, picked from its list or typed. */
export function ModelChooser(props: ModelChooserProps): JSX.Element {
  const { draft } = props
  const served = useServedContext(draft.large, props.savedIds)
  return (
    <fieldset className="settings-group">
      <legend>Model</legend>
      <ModelField {...props} what="answering" testIdPrefix="settings-model" loadTestId="settings-load-models" choice={draft.large} onChoice={(large) => large && props.onDraft(withAnswering(draft, large))} />
      <RoomFields room={draft.room} served={served} onRoom={(room) => props.onDraft({ ...draft, room })} />
      <ModelField {...props} what="titles" testIdPrefix="settings-small" loadTestId="settings-small-load-models" choice={draft.small} onChoice={(small) => props.onDraft({ ...draft, small })} />
    </fieldset>
  )
}
