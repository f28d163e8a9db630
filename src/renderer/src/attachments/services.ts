import type { ParleyApi } from '../../../shared'
import type { ParleyDatabase } from '../db/schema'
import { useParley } from '../parley-context'
import type { AttachDeps } from './attach-files'
import { Thumbnails } from './thumbnails'
import { VisionCheck } from './vision-check'
import { workerPreparer, workerThumbnailMaker } from './worker-preparer'

export interface AttachmentServices {
  attach: AttachDeps
  thumbnails: Thumbnails
  vision: VisionCheck
}

const made = new WeakMap<ParleyApi, AttachmentServices>()

function servicesFor(api: ParleyApi, db: ParleyDatabase): AttachmentServices {
  const known = made.get(api)
  if (known) return known
  const thumbnails = new Thumbnails(db, api, workerThumbnailMaker)
  const services: AttachmentServices = {
    attach: { api, prepare: workerPreparer, keepThumbnail: (id, dataUrl) => thumbnails.keep(id, dataUrl) },
    thumbnails,
    vision: new VisionCheck(api)
  }
  made.set(api, services)
  return services
}

/** The window's attachment services, one set per bridge: the attach worker, the thumbnails, the vision answers. */
export function useAttachmentServices(): AttachmentServices {
  const { api, db } = useParley()
  return servicesFor(api, db)
}
