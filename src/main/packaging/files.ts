/**
 * What goes into the packaged app (electron-builder's `files` and `asarUnpack`, in its glob language, relative to
 * the project folder). Only the build: electron-vite's out/ folder, the tray icons and package.json, whose `main`
 * names out/main/index.js. Source, tests, end-to-end specs, benchmarks and scripts stay out; so do source maps, which would
 * ship the source (Parley collects no crash reports to resolve them against).
 *
 * Production dependencies (node_modules) are added by electron-builder itself, for the platform being built: lmdb
 * loads its native binding from @lmdb/lmdb-<platform>-<arch>, which npm installs only for the machine it runs on, so
 * each target is packed on its own OS.
 */
export const PACKAGED_FILES: readonly string[] = [
  'out/main/**/*',
  'out/preload/**/*',
  'out/renderer/**/*',
  // The tray icons, read at run time from resources/ beside package.json (src/main/desktop/tray-icon.ts).
  'resources/tray-icon*.png',
  'package.json',
  '!**/*.map'
]

/**
 * Native modules (lmdb's and msgpackr-extract's `.node` bindings) cannot be loaded from inside app.asar: the OS loads
 * them from a real file, so they go to app.asar.unpacked. ASAR integrity covers app.asar only.
 */
export const UNPACKED_FROM_ASAR: readonly string[] = ['**/*.node']
