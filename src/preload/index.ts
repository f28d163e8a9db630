import { contextBridge, ipcRenderer } from 'electron'
import { z } from 'zod'
import { createIpcApi, forContextBridge } from './ipc-api'

// zod probes `new Function` to compile faster parsers; the page's Content-Security-Policy forbids eval, so the probe
// would only log a violation. Jitless mode skips it (the renderer does the same, in zod-csp.ts).
z.config({ jitless: true })

// The preload's one job: window.parley, the ParleyApi over IPC, and nothing else. Each load of the page gets a fresh
// random id, so main can tell a reloaded page from the one before it and drop that one's event stream.
const pageId = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')

contextBridge.exposeInMainWorld('parley', forContextBridge(createIpcApi(ipcRenderer, pageId)))
