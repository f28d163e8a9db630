import type { ParleyServices } from '../parley-context'
import { errorText } from '../notices/error-text'

/** Renames a chat through main (which publishes the new title); a refusal is said in a banner. */
export function renameChat(services: Pick<ParleyServices, 'api' | 'notices'>, sessionId: string, title: string): void {
  void services.api.renameSession(sessionId, title).catch((error: unknown) =>
    services.notices.show({ id: 'session-action', tone: 'error', text: `Parley could not rename the chat: ${errorText(error)}`, dismissible: true })
  )
}
