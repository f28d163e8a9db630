import type { ParleyEvent } from '../../../shared'
import { ExternalStore } from '../external-store'

/**
 * When the settings were last saved, from this window or any other (main's `settings.changed`): the seq of the
 * latest such event, 0 before any. What shows the settings (the chat header's model and its lists) reads them again
 * each time it moves.
 */
export class SettingsChanges extends ExternalStore<number> {
  constructor() {
    super(0)
  }

  take = (event: ParleyEvent): void => {
    if (event.type === 'settings.changed' && event.seq > this.getSnapshot()) this.replace(event.seq)
  }
}
