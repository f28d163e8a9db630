import type { JSX } from 'react'
import type { AttachmentRef } from '../../../shared'
import { MessageAttachments } from '../attachments/MessageAttachments'
import { useAttachmentServices } from '../attachments/services'
import { sendPrompt } from '../composer/send-prompt'
import { streamingTextOf } from '../db/message-parts'
import type { MessageRow } from '../db/schema'
import { actionFailedNotice } from '../notices/action-failed'
import { useParley } from '../parley-context'
import { EditPrompt } from './actions/EditPrompt'
import { PromptText } from './PromptText'

/** A prompt as typed, or its inline editor: saving sends the new text beside it as a new branch (H3). */
export function UserBody(props: { message: MessageRow; editing: boolean; onDone: () => void }): JSX.Element {
  const { message, onDone } = props
  const { api, activity, notices } = useParley()
  const { attach } = useAttachmentServices()
  const text = streamingTextOf(message).text
  const attachments = message.attachments ?? []
  if (!props.editing) {
    return (
      <>
        <MessageAttachments attachments={attachments} />
        {text ? <PromptText text={text} /> : null}
      </>
    )
  }
  const save = (edited: string, kept: AttachmentRef[]): void => {
    onDone()
    const request = { sessionId: message.sessionId, prompt: edited, attachments: kept, editOf: message.id }
    void sendPrompt({ api, activity }, request).then((outcome) => {
      if (!outcome.ok) notices.show(actionFailedNotice('Parley could not send the edited message', outcome.error))
    })
  }
  return <EditPrompt text={text} attachments={attachments} onSave={save} onCancel={onDone} attach={attach} />
}
