import { StrictMode, startTransition } from 'react'
import type { Root } from 'react-dom/client'
import { App } from '../App'
import type { Status } from '../../../shared'
import { probeWhenOnline } from '../activity/online-probe'
import { SessionActivity } from '../activity/session-activity'
import type { Bridge, ConnectionState } from '../bridge'
import { EventApplier } from '../db/applier'
import type { ParleyDatabase } from '../db/schema'
import { giveBackIfWanted, restoreIfLost } from '../db/history-rebuild'
import { announceRebuilding, announceRebuilt, watchStorageReset } from '../db/storage-reset'
import type { OpenedHistory } from '../db/open-history'
import type { FirstSteps } from './first-steps'
import { damagedHistoryNotice } from '../notices/damaged-history'
import { RestoreProgress } from '../restore/restore-progress'
import { Restoring } from '../restore/Restoring'
import { BackgroundRestore } from '../restore/background-restore'
import { guardWhileRestoring } from '../restore/restore-guard'
import { StoragePersistence } from '../db/storage-persistence'
import { StreamingStore } from '../db/streaming-store'
import { UncommittedRows } from '../db/uncommitted-rows'
import { connectionNotice, connectionNoticeId } from '../notices/connection'
import { copyBackNotice } from '../notices/copy-back'
import { errorText } from '../notices/error-text'
import { Notices } from '../notices/notices'
import { dataRecoveredNotice } from '../notices/data-recovered'
import { storageNotice, storageNoticeId } from '../notices/storage'
import { ParleyProvider, type ParleyServices } from '../parley-context'
import { Attention, followWindow } from '../sessions/attention'
import { OpenRequests } from '../sessions/open-requests'
import { actionFailedNotice } from '../notices/action-failed'
import { PendingDeletes } from '../sessions/pending-deletes'
import { lastOpenChatToShow } from '../sessions/last-open-chat'
import { draftStorage, forgetDeletedChatDraft } from '../composer/drafts'
import { forgetDeletedScreen } from '../chat/first-screen'
import { preferenceStorage } from '../look/theme'
import { SessionList } from '../sessions/session-list'
import { SettingsChanges } from '../settings/settings-changes'
import { RunAnnouncements } from '../notices/run-announcements'
import { StartupError } from '../StartupError'
import { ErrorBoundary } from '../ui/Region'
import { pageTestHooks } from '../test-seams'
import { markdownCode } from '../chat/markdown-code'
import { whenIdle } from '../later/when-idle'

/** Slow first connections get a banner; quick ones (the usual case) show none. */
const firstConnectGraceMs = 2000

/** What main's `status()` starts: the busy sessions and queues, and the line between replayed and live requests. */
function takeStatus(status: Status, activity: SessionActivity, openRequests: OpenRequests): void {
  activity.seed(status)
  openRequests.startAfter(status.lastSeq)
}

/** A banner while the bridge is not connected (browser mode's WebSocket; the desktop bridge is always open). */
function watchConnection(api: Bridge, db: ParleyDatabase, notices: Notices, activity: SessionActivity, openRequests: OpenRequests): void {
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
    if (state !== 'open') return
    // Busy flags and queues may have changed while nobody was listening.
    api.status().then((status) => takeStatus(status, activity, openRequests), () => undefined)
    // Main started again may have found its message store damaged: this window's copy goes back at once.
    void giveBackIfWanted({ api, db }, (state) => notices.show(copyBackNotice(state)))
  })
}

/**
 * How a start's restore went: nothing to copy, or copied before the window was drawn (`whole`); or the window may be
 * drawn now, its newest chats copied, while `finished` copies the rest (`shown`).
 */
type Restored = { kind: 'whole' } | { kind: 'shown'; progress: RestoreProgress; finished: Promise<void>; drawn: () => void }

/** The copy waits at most this long for the window's first drawing before it goes on. */
const firstDrawingMs = 3_000

/**
 * Rebuilds IndexedDB from main's log if it must, or gives main back this window's copy if main lost its own
 * (`restoreIfLost`), showing the progress in the whole window until the first page of a rebuild is written: from
 * then on the window can show the newest chats (main sends them first) while the rest is copied.
 */
function restoreShown(api: Bridge, db: ParleyDatabase, root: Root): Promise<Restored> {
  let rebuilt = false
  let progress: RestoreProgress | undefined
  let readable: (restored: Restored) => void = () => undefined
  const early = new Promise<Restored>((resolve) => (readable = resolve))
  const finished: Promise<void> = restoreIfLost({
    api,
    db,
    rebuilding: () => {
      rebuilt = true
      // Other windows open on this database let go of it before its tables are emptied (`watchStorageReset`).
      announceRebuilding()
      // The newest chat is drawn once the first page is in: its formatting code comes meanwhile, not after it (in a
      // fresh browser profile the four chunks, one after the other, took ~300 ms past the first page).
      markdownCode.load().catch(() => undefined)
      const shown = new RestoreProgress()
      progress = shown
      root.render(<Restoring progress={shown} />)
      return (next) => shown.take(next)
    },
    copyingBack: () => {
      const shown = new RestoreProgress()
      root.render(<Restoring progress={shown} reason="main-lost" />)
      return (done, total) => shown.take({ messages: 0, totalMessages: 0, sessions: done, totalSessions: total })
    },
    onReadable: () => {
      if (!progress) return undefined
      // The rest of the copy waits for the window's first drawing (or a few seconds): both on one page's thread, the
      // copy's writes would hold the newest chat back.
      let drawn: () => void = () => undefined
      const firstDrawing = new Promise<void>((resolve) => {
        drawn = resolve
        setTimeout(resolve, firstDrawingMs)
      })
      readable({ kind: 'shown', progress, finished, drawn })
      return firstDrawing
    },
    // The e2e seam that holds a rebuild half done (test-seams.ts): nothing in the app defines it.
    afterPage: () => pageTestHooks().afterRebuildPage?.()
  }).then(() => {
    // Other windows left blank when this one's history was cleared reload now (`watchStorageReset`).
    if (rebuilt) announceRebuilt()
  })
  return Promise.race([early, finished.then((): Restored => ({ kind: 'whole' }))])
}

/** Starts the window on the history being opened and the bridge being connected (`first-steps.ts`). */
export async function startApp(root: Root, steps: FirstSteps): Promise<void> {
  const { opening } = steps
  let api: Bridge
  try {
    api = await steps.bridge
  } catch (error) {
    root.render(<StartupError title="Parley could not connect to its main process" detail={errorText(error)} />)
    return
  }

  // Asked once, not awaited: the browser may take a while (or prompt), and the settings panel shows the answer.
  const persistence = new StoragePersistence()
  // `navigator.storage` is missing outside a secure context, whatever the DOM types say.
  void persistence.request(navigator.storage as StorageManager | undefined)

  let opened: OpenedHistory
  try {
    opened = await opening
  } catch (error) {
    root.render(<StartupError title="Parley could not open its history" detail={errorText(error)} />)
    return
  }
  performance.mark('parley:history-open')
  const { db } = opened
  let restored: Restored
  try {
    restored = await restoreShown(api, db, root)
  } catch (error) {
    root.render(<StartupError title="Parley could not restore its history" detail={errorText(error)} />)
    return
  }
  const notices = new Notices()
  // Shown while the rest is copied: the applier starts once every chat is back (it would write beside the copy), and
  // until then what would change the history is refused with a sentence (restore/restore-guard.ts).
  const background = restored.kind === 'shown' ? new BackgroundRestore(restored.progress, notices, () => location.reload()) : undefined
  const shownApi = background ? guardWhileRestoring(api, background.blocked) : api

  // The sidebar's first screenful is read now, while the bridge is asked for the rest and the window's code renders:
  // the first render has the newest chats to draw (issue 11 item 4). The list lives as long as the window.
  const chats = new SessionList(db)
  chats.start()
  // The chat the window showed last opens again (read beside the chats, awaited just before the first render).
  const firstChat = lastOpenChatToShow(db)
  const streaming = new StreamingStore()
  const uncommitted = new UncommittedRows()
  const activity = new SessionActivity()
  watchStorageReset(db, (notice) => notices.show(notice), () => location.reload())
  if (opened.damaged) notices.show(damagedHistoryNotice(opened.cause))
  const attention = new Attention()
  followWindow(attention, { document, window })
  const openRequests = new OpenRequests()
  const settingsChanges = new SettingsChanges()
  const announcements = new RunAnnouncements()
  const drafts = draftStorage()
  const applier = new EventApplier({
    api,
    db,
    streaming,
    watching: attention.watching,
    onEvent: (event) => {
      uncommitted.take(event)
      activity.take(event)
      openRequests.take(event)
      settingsChanges.take(event)
      announcements.take(event)
      forgetDeletedChatDraft(drafts, event)
      forgetDeletedScreen(preferenceStorage(), event)
    },
    // A failed commit is not acked, so main keeps the events and the applier tries again (rule F3).
    onCommit: () => notices.dismiss(storageNoticeId),
    onError: (error) => notices.show(storageNotice(error)),
    // The storage-fault e2e test's seam (test-seams.ts): nothing in the app defines it.
    beforeCommit: () => pageTestHooks().beforeCommit?.()
  })
  /** Applies main's events from now on, and starts what follows them; false when the history can't be read. */
  const goLive = async (): Promise<boolean> => {
    try {
      await applier.start()
    } catch (error) {
      root.render(<StartupError title="Parley could not read its history" detail={errorText(error)} />)
      return false
    }
    api.status().then(
      (status) => takeStatus(status, activity, openRequests),
      (error: unknown) =>
        notices.show({ id: 'status', tone: 'warning', text: `Parley could not read which chats are busy: ${errorText(error)}`, dismissible: true })
    )
    watchConnection(api, db, notices, activity, openRequests)
    probeWhenOnline(window, api)
    api.getSettings().then(
      (settings) => {
        const notice = dataRecoveredNotice(settings.recovered)
        if (notice) notices.show(notice)
      },
      () => undefined
    )
    return true
  }
  if (restored.kind === 'whole') {
    if (!(await goLive())) return
  } else {
    restored.finished.then(
      async () => {
        if (await goLive()) background?.finished()
      },
      (error: unknown) => background?.failed(error)
    )
  }

  const deletes = new PendingDeletes((entry, error) =>
    notices.show(actionFailedNotice(entry.kind === 'chat' ? 'Parley could not delete the chat' : 'Parley could not delete the message', error))
  )
  // Leaving the page sends what waits for its Undo time: what was deleted stays deleted.
  window.addEventListener('pagehide', () => deletes.commitAll())

  const services: ParleyServices = {
    ...{ api: shownApi, db, streaming, uncommitted, activity, notices, attention, openRequests, persistence, deletes, chats, settingsChanges, announcements },
    // What waits for every chat to be back (search's indexing): a failed copy lets it go on with what is there.
    ...(restored.kind === 'shown' ? { restoring: restored.finished.catch(() => undefined) } : {})
  }
  const lastOpen = await firstChat
  performance.mark('parley:app-rendered')
  // What the first paint did not need comes once the window is idle: the first chat opened finds it there.
  void whenIdle().then(() => markdownCode.load().catch(() => undefined))
  // As a transition, the first render of the whole window is done in slices that yield to the browser every few
  // milliseconds, not in one task (issue 11: no long task at load). Nothing is on screen before it to go stale.
  startTransition(() =>
    root.render(
      <StrictMode>
        <ParleyProvider services={services}>
          {/* The last line: a render error the regions inside didn't keep says so, rather than a blank window. */}
          <ErrorBoundary fallback={(error) => <StartupError title="Parley could not draw its window" detail={errorText(error)} />}>
            <App firstChat={lastOpen} />
          </ErrorBoundary>
        </ParleyProvider>
      </StrictMode>
    )
  )
  // A restore going on behind the window goes on once the window is drawn (the transition's slices done).
  if (restored.kind === 'shown') void whenIdle().then(restored.drawn)
}
