import { z } from 'zod'
import type { ParleyApi } from '../../../shared'
import type { SocketRoute } from '../bridge/ws-client'
import type { ParleyDatabase } from '../db/schema'
import { useParley } from '../parley-context'
import type { AttachDeps } from './attach-files'
import { Thumbnails } from './thumbnails'
import { VisionCheck } from './vision-check'
import { workerImageOpener, workerPreparer, workerThumbnailMaker } from './worker-preparer'

export interface AttachmentServices {
  attach: AttachDeps
  thumbnails: Thumbnails
  vision: VisionCheck
  /** An attached image whole, as a data URL, for the image viewer. */
  openImage: (id: string) => Promise<string>
}

const made = new WeakMap<ParleyApi, AttachmentServices>()

const routeSchema = z.object({ url: z.string(), token: z.string() })

/** The WebSocket bridge's route (browser mode), for the attach worker's own socket; null for the desktop's IPC. */
function socketRouteOf(api: ParleyApi): SocketRoute | null {
  const route = 'socketRoute' in api ? routeSchema.safeParse(api.socketRoute) : undefined
  return route?.success ? route.data : null
}

function servicesFor(api: ParleyApi, db: ParleyDatabase): AttachmentServices {
  const known = made.get(api)
  if (known) return known
  const route = socketRouteOf(api)
  const thumbnails = new Thumbnails(db, workerThumbnailMaker(route, api))
  const services: AttachmentServices = {
    attach: { api, prepare: workerPreparer(route), keepThumbnail: (id, dataUrl) => thumbnails.keep(id, dataUrl) },
    thumbnails,
    vision: new VisionCheck(api),
    openImage: workerImageOpener(route, api)
  }
  made.set(api, services)
  return services
}

/** Sets the attachment services for a bridge before the window uses it (a test's in-process reader, say). */
export function provideAttachmentServices(api: ParleyApi, services: AttachmentServices): void {
  made.set(api, services)
}

/** The window's attachment services, one set per bridge: the attach worker, the thumbnails, the vision answers. */
export function useAttachmentServices(): AttachmentServices {
  const { api, db } = useParley()
  return servicesFor(api, db)
}
