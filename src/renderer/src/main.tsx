import './zod-csp'
import { StrictMode } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { App } from './App'
import { SessionActivity } from './activity/session-activity'
import { connectBridge, type Bridge, type ConnectionState } from './bridge'
import { EventApplier } from './db/applier'
import { ParleyDatabase } from './db/schema'
import { StreamingStore } from './db/streaming-store'
import { connectionNotice, connectionNoticeId } from './notices/connection'
import { errorText } from './notices/error-text'
import { Notices } from './notices/notices'
import { ParleyProvider } from './parley-context'
import { StartupError } from './StartupError'
import './styles.css'

/** Slow first connections get a banner; quick ones (the usual case) show none. */
const firstConnectGraceMs = 2000

/** A banner while the bridge is not connected (browser mode's WebSocket; the desktop bridge is always open). */
function watchConnection(api: Bridge, notices: Notices, activity: SessionActivity): void {
  if (!api.onConnectionChange) return
  const show = (state: ConnectionState): void => {
    const notice = connectionNotice(state)
    if (notice) notices.show(notice)
    else notices.dismiss(connectionNoticeId)
  }
  setTimeout(() => {
    if (api.connectionState && api.connectionState !== 'open') show(api.connectionState)
  }, firstConnectGraceMs)
  api.onConnectionChange((state) => {
    show(state)
    // Busy flags and queues may have changed while nobody was listening.
    if (state === 'open') api.status().then((status) => activity.seed(status), () => undefined)
  })
}

async function start(root: Root): Promise<void> {
  let api: Bridge
  try {
    api = await connectBridge()
  } catch (error) {
    root.render(<StartupError title="Parley could not connect to its main process" detail={errorText(error)} />)
    return
  }

  const db = new ParleyDatabase()
  try {
    await db.open()
  } catch (error) {
    root.render(<StartupError title="Parley could not open its history" detail={errorText(error)} />)
    return
  }

  const streaming = new StreamingStore()
  const activity = new SessionActivity()
  const notices = new Notices()
  const applier = new EventApplier({
    api,
    db,
    streaming,
    onEvent: activity.take,
    onCommit: () => notices.dismiss('storage'),
    onError: (error) =>
      notices.show({
        id: 'storage',
        tone: 'error',
        text: `Parley could not save your history: ${errorText(error)}. It keeps trying; nothing is lost while main holds the events.`,
        dismissible: true
      })
  })
  try {
    await applier.start()
  } catch (error) {
    root.render(<StartupError title="Parley could not read its history" detail={errorText(error)} />)
    return
  }
  api.status().then(
    (status) => activity.seed(status),
    (error: unknown) =>
      notices.show({ id: 'status', tone: 'warning', text: `Parley could not read which chats are busy: ${errorText(error)}`, dismissible: true })
  )
  watchConnection(api, notices, activity)

  root.render(
    <StrictMode>
      <ParleyProvider services={{ api, db, streaming, activity, notices }}>
        <App />
      </ParleyProvider>
    </StrictMode>
  )
}

const container = document.getElementById('root')
if (!container) throw new Error('index.html has no #root element')
void start(createRoot(container))
