import { contextBridge } from 'electron'
import type { ParleyBridgeInfo } from './api'

// For now the bridge only proves it is there; the full ParleyApi over ipcRenderer comes later.
const parley: ParleyBridgeInfo = { version: 1 }

contextBridge.exposeInMainWorld('parley', parley)
