import type { Configuration } from 'electron-builder'
import { PACKAGED_FILES, UNPACKED_FROM_ASAR } from './files'
import { builderFuseOptions } from './fuses'

/** The Windows AppUserModelID main sets for a packaged app (src/main/index.ts); notifications are grouped under it. */
export const APP_ID = 'app.parley.desktop'

/**
 * electron-builder's configuration for `npm run dist`: AppImage and deb on Linux, dmg on macOS, an nsis installer on
 * Windows. electron-builder.config.ts at the project root is this and nothing else.
 */
export function parleyBuilderConfig(): Configuration {
  return {
    appId: APP_ID,
    productName: 'Parley',
    // Not resources/: electron-builder leaves its build-resources folder out of the app, and the tray icons are there.
    directories: { output: 'dist', buildResources: 'build' },
    files: [...PACKAGED_FILES],
    // One archive, checked at start (with the EnableEmbeddedAsarIntegrityValidation fuse) on macOS and Windows.
    asar: true,
    disableAsarIntegrity: false,
    asarUnpack: [...UNPACKED_FROM_ASAR],
    electronFuses: builderFuseOptions(),
    // lmdb's bindings are N-API prebuilds, the same for Node and Electron: nothing to rebuild against Electron.
    npmRebuild: false,
    linux: {
      target: ['AppImage', 'deb'],
      category: 'Utility',
      maintainer: 'Parley',
      // `parley` is the command line's name (package.json bin); the desktop app must not take its place in /usr/bin.
      executableName: 'parley-desktop'
    },
    deb: { packageName: 'parley-desktop' },
    mac: { target: ['dmg'], category: 'public.app-category.productivity' },
    dmg: { writeUpdateInfo: false },
    win: { target: ['nsis'] },
    nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
    // Parley updates nothing on its own and publishes nowhere.
    publish: null
  }
}
