import { SessionActivity } from '../activity/session-activity'
import { StoragePersistence } from '../db/storage-persistence'
import { StreamingStore } from '../db/streaming-store'
import { UncommittedRows } from '../db/uncommitted-rows'
import { Notices } from '../notices/notices'
import type { ParleyServices } from '../parley-context'
import { Attention } from '../sessions/attention'
import { OpenRequests } from '../sessions/open-requests'
import { PendingDeletes } from '../sessions/pending-deletes'
import { SessionList } from '../sessions/session-list'
import { RunAnnouncements } from '../notices/run-announcements'
import { SettingsChanges } from '../settings/settings-changes'
import { FakeParleyApi } from './fake-parley-api'
import { freshDatabase } from './history-fixtures'

/** The window's services for a component test: a fake API and a fresh database unless given, nothing else running. */
export function testServices(given: Partial<ParleyServices> = {}): ParleyServices {
  const db = given.db ?? freshDatabase()
  return {
    api: new FakeParleyApi(),
    db,
    chats: new SessionList(db),
    streaming: new StreamingStore(() => undefined),
    uncommitted: new UncommittedRows(() => undefined),
    activity: new SessionActivity(),
    notices: new Notices(),
    attention: new Attention(),
    openRequests: new OpenRequests(),
    persistence: new StoragePersistence(),
    deletes: new PendingDeletes(() => undefined),
    settingsChanges: new SettingsChanges(),
    announcements: new RunAnnouncements(),
    ...given
  }
}
