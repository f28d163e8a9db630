import type { Configuration } from 'electron-builder'

/** The fuse options electron-builder 26 passes to @electron/fuses when it packs (its `electronFuses` key). */
export type BuilderFuseOptions = NonNullable<Configuration['electronFuses']>

/** The fuses electron-builder can set, by their @electron/fuses names (FuseV1Options). */
export type BuilderFuse =
  | 'RunAsNode'
  | 'EnableCookieEncryption'
  | 'EnableNodeOptionsEnvironmentVariable'
  | 'EnableNodeCliInspectArguments'
  | 'EnableEmbeddedAsarIntegrityValidation'
  | 'OnlyLoadAppFromAsar'
  | 'LoadBrowserProcessSpecificV8Snapshot'
  | 'GrantFileProtocolExtraPrivileges'

export type FuseDecision = { fuse: BuilderFuse; value: boolean; why: string }

/** A fuse electron-builder's config cannot name, so the packaged app keeps Electron's default. */
export type FuseLeftAtDefault = { fuse: 'WasmTrapHandlers'; electronDefault: boolean; why: string }

/**
 * The packaged app's fuses: bits burnt into the Electron binary at packing time, which no environment variable or
 * command-line flag can turn back. Each row says why. README "Packaging" explains them to users.
 */
export const FUSES: readonly FuseDecision[] = [
  {
    fuse: 'RunAsNode',
    value: false,
    why: 'ELECTRON_RUN_AS_NODE would turn Parley into a plain Node interpreter that any local process can script with the app’s identity (and its keychain entries); Parley forks no process that needs it'
  },
  {
    fuse: 'EnableNodeOptionsEnvironmentVariable',
    value: false,
    why: 'NODE_OPTIONS (--require, --import) and NODE_EXTRA_CA_CERTS would let a neighbour inject code or a certificate authority into main through the environment'
  },
  {
    fuse: 'EnableNodeCliInspectArguments',
    value: false,
    why: '--inspect and SIGUSR1 would open a debugger on main, which holds the API keys; a packaged app is never debugged that way'
  },
  {
    fuse: 'OnlyLoadAppFromAsar',
    value: true,
    why: 'Electron otherwise also looks for a resources/app folder next to app.asar, where anyone who can write there could plant code that runs instead'
  },
  {
    fuse: 'EnableEmbeddedAsarIntegrityValidation',
    value: true,
    why: 'with OnlyLoadAppFromAsar, a changed app.asar is refused at start (macOS and Windows; Linux has no embedded check)'
  },
  {
    fuse: 'EnableCookieEncryption',
    value: true,
    why: 'the cookie store is encrypted with the OS keychain like Chrome’s; Parley sets no cookies today, so turning it on now costs nothing and cannot corrupt an existing store'
  },
  {
    fuse: 'LoadBrowserProcessSpecificV8Snapshot',
    value: false,
    why: 'Parley builds no browser-process V8 snapshot; on, Electron would look for browser_v8_context_snapshot.bin that is not there'
  },
  {
    fuse: 'GrantFileProtocolExtraPrivileges',
    value: true,
    why: 'the window loads out/renderer/index.html from file:// inside app.asar with a module script (<script type="module" crossorigin>); off, file:// is treated as in a browser, the module is refused by CORS and the window stays blank (electron/forge#3508). Turn it off once the page is served from a custom protocol'
  }
]

export const FUSES_LEFT_AT_DEFAULT: readonly FuseLeftAtDefault[] = [
  {
    fuse: 'WasmTrapHandlers',
    electronDefault: true,
    why: 'not a security fuse (it speeds up WebAssembly bounds checks), and electron-builder 26’s electronFuses cannot name it'
  }
]

const OPTION_OF: Record<BuilderFuse, keyof BuilderFuseOptions> = {
  RunAsNode: 'runAsNode',
  EnableCookieEncryption: 'enableCookieEncryption',
  EnableNodeOptionsEnvironmentVariable: 'enableNodeOptionsEnvironmentVariable',
  EnableNodeCliInspectArguments: 'enableNodeCliInspectArguments',
  EnableEmbeddedAsarIntegrityValidation: 'enableEmbeddedAsarIntegrityValidation',
  OnlyLoadAppFromAsar: 'onlyLoadAppFromAsar',
  LoadBrowserProcessSpecificV8Snapshot: 'loadBrowserProcessSpecificV8Snapshot',
  GrantFileProtocolExtraPrivileges: 'grantFileProtocolExtraPrivileges'
}

/** The fuse table as electron-builder's `electronFuses` option. */
export function builderFuseOptions(decisions: readonly FuseDecision[] = FUSES): BuilderFuseOptions {
  const options: Partial<Record<keyof BuilderFuseOptions, boolean>> = {}
  for (const { fuse, value } of decisions) options[OPTION_OF[fuse]] = value
  return options
}

/** The value the table gives a fuse; throws for a fuse the table forgot (a test keeps every fuse decided). */
export function fuseValue(fuse: BuilderFuse, decisions: readonly FuseDecision[] = FUSES): boolean {
  const decision = decisions.find((row) => row.fuse === fuse)
  if (!decision) throw new Error(`The packaging fuse table does not decide ${fuse}.`)
  return decision.value
}
