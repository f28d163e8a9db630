import type { ConnectionState } from '../bridge'
import type { Notice } from './notices'

export const connectionNoticeId = 'connection'

/** The banner for a bridge that isn't connected to main; none while it is. */
export function connectionNotice(state: ConnectionState): Notice | undefined {
  const notice = (text: string): Notice => ({ id: connectionNoticeId, tone: 'warning', text, dismissible: false })
  switch (state) {
    case 'open':
      return undefined
    case 'connecting':
      return notice('Connecting to Parley…')
    case 'reconnecting':
      return notice('Lost the connection to Parley. Reconnecting… Prompts you send wait until it is back.')
    case 'closed':
      return { ...notice('The connection to Parley is closed. Reload the window to connect again.'), tone: 'error' }
  }
}
