// @ts-check
import { builtinModules } from 'node:module'
import { posix } from 'node:path'
import js from '@eslint/js'
import { defineConfig } from 'eslint/config'
import globals from 'globals'
import tseslint from 'typescript-eslint'

// The layer lines of docs/architecture.md, enforced with no-restricted-imports: a wrong import fails CI.

const SOURCE_EXTENSIONS = '{ts,tsx,mts,cts,js,jsx,mjs,cjs}'

/** How deep inside a layer's folder the relative-import checks are exact; deeper files reuse the last depth. */
const MAX_DEPTH = 8

const NODE_BUILTINS = builtinModules.filter((name) => !name.startsWith('_'))

/** The builtins a sandboxed preload can still `require`. */
const SANDBOX_BUILTINS = ['events', 'timers', 'url']

/**
 * @typedef {{ name: string, message: string }} RestrictedPath
 * @typedef {{ regex: string, message: string }} RestrictedPattern
 * @typedef {{ paths: RestrictedPath[], patterns: RestrictedPattern[] }} Restrictions
 * @typedef {{ packages: string[], why: string }} BannedPackages
 * @typedef {{
 *   name: string,
 *   dir: string,
 *   files?: string[],
 *   packages: BannedPackages[],
 *   dirs: string[],
 *   why: string
 * }} Layer
 */

/** @type {BannedPackages} */
const ELECTRON = {
  packages: ['electron', 'electron/*'],
  why: "only src/main/desktop, src/main/index.ts and src/preload may import 'electron' (in plain Node it throws)"
}
/** @type {BannedPackages} */
const NODE = { packages: ['node:*', ...NODE_BUILTINS], why: 'Node builtins do not exist here' }
/** @type {BannedPackages} */
const UI_AND_STORAGE = {
  packages: ['react', 'react/*', 'react-dom', 'react-dom/*', 'dexie', 'dexie-react-hooks'],
  why: 'the contract is plain TypeScript; React and Dexie belong to the renderer'
}
/** @type {BannedPackages} */
const OUTSIDE_THE_SANDBOX = {
  packages: ['node:*', ...NODE_BUILTINS.filter((name) => !SANDBOX_BUILTINS.includes(name))],
  why: `a sandboxed preload can only require electron and ${SANDBOX_BUILTINS.join(', ')}`
}

/** @type {Layer[]} */
const LAYERS = [
  {
    name: 'src/shared',
    dir: 'src/shared',
    packages: [ELECTRON, NODE, UI_AND_STORAGE],
    dirs: ['src/main', 'src/preload', 'src/renderer'],
    why: 'src/shared is the contract every side imports, so it imports none of them'
  },
  {
    name: 'src/main/core',
    dir: 'src/main/core',
    packages: [ELECTRON],
    dirs: ['src/main/desktop', 'src/main/host', 'src/renderer', 'src/preload'],
    why: 'the core runs in plain Node under both shells and knows neither'
  },
  {
    name: 'src/main/host',
    dir: 'src/main/host',
    packages: [ELECTRON],
    dirs: ['src/main/desktop', 'src/renderer', 'src/preload'],
    why: 'the host is the browser-mode shell and runs in plain Node'
  },
  {
    name: 'src/main/cli',
    dir: 'src/main/cli',
    packages: [ELECTRON],
    dirs: ['src/main/desktop', 'src/renderer', 'src/preload'],
    why: 'the command line runs in plain Node, without Electron'
  },
  {
    name: 'src/main/desktop',
    dir: 'src/main/desktop',
    packages: [],
    dirs: ['src/renderer', 'src/preload'],
    why: 'the renderer and the preload are other processes, reached only through the bridge'
  },
  {
    name: 'src/main/packaging',
    dir: 'src/main/packaging',
    packages: [ELECTRON],
    dirs: ['src/renderer', 'src/preload'],
    why: 'the packaging decisions are read by electron-builder in plain Node, without Electron'
  },
  {
    name: 'src/main/web.ts',
    dir: 'src/main',
    files: ['src/main/web.ts'],
    packages: [ELECTRON],
    dirs: ['src/main/desktop', 'src/renderer', 'src/preload'],
    why: 'browser mode runs in plain Node, without Electron'
  },
  {
    name: 'src/preload',
    dir: 'src/preload',
    packages: [OUTSIDE_THE_SANDBOX],
    dirs: ['src/main', 'src/renderer'],
    why: 'the preload runs sandboxed in the renderer process and only bridges to main over IPC'
  },
  {
    name: 'src/renderer',
    dir: 'src/renderer',
    packages: [ELECTRON, NODE],
    dirs: ['src/main', 'src/preload'],
    why: 'the renderer is browser code; it reaches main only through its bridge'
  },
  {
    // Last, so it overrides the renderer's rule for this one file: the bridge's contract test runs the WebSocket
    // client against the real host and core in Node (it is type-checked by tsconfig.node.json for the same reason).
    name: 'the WebSocket bridge contract test',
    dir: 'src/renderer/src/bridge',
    files: ['src/renderer/src/bridge/ws-client.test.ts'],
    packages: [ELECTRON],
    dirs: ['src/main/desktop', 'src/preload'],
    why: 'the contract test runs in plain Node, without Electron'
  }
]

/** @param {string} text */
function escapeRegex(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * Regex alternatives for the relative specifiers that, written in a file `depth` folders below `layerDir`, land in
 * `targetDir`. A specifier climbs `ups` folders (`../` each) and then walks down into `targetDir`.
 * @param {string} layerDir
 * @param {number} depth
 * @param {string} targetDir
 */
function relativeSpecifiersReaching(layerDir, depth, targetDir) {
  const alternatives = []
  const layerSegments = layerDir.split('/').length
  for (let ups = depth; ups <= depth + layerSegments; ups++) {
    // After `depth` climbs we stand in layerDir; each further climb leaves one more of its folders.
    const base = layerDir.split('/').slice(0, layerSegments - (ups - depth)).join('/') || '.'
    const rest = posix.relative(base, targetDir)
    if (rest === '' || rest.startsWith('..')) continue
    const climb = ups === 0 ? '\\./' : `(?:\\.\\./){${ups}}`
    alternatives.push(`^${climb}${escapeRegex(rest)}(?:/|$)`)
  }
  return alternatives
}

/**
 * @param {Layer} layer
 * @param {number} depth
 * @returns {Restrictions}
 */
function restrictionsFor(layer, depth) {
  /** @type {RestrictedPath[]} */
  const paths = []
  /** @type {RestrictedPattern[]} */
  const patterns = []
  for (const banned of layer.packages) {
    for (const name of banned.packages) {
      const message = `${layer.name} may not import '${name}': ${banned.why}.`
      // 'node:*' and 'react/*' are prefixes; anything else is one exact specifier.
      if (name.endsWith('*')) patterns.push({ regex: `^${escapeRegex(name.slice(0, -1))}`, message })
      else paths.push({ name, message })
    }
  }
  for (const dir of layer.dirs) {
    const alternatives = [
      ...relativeSpecifiersReaching(layer.dir, depth, dir),
      // Also catch root-relative spellings like 'src/main/...' or '/src/main/...'.
      `^/?${escapeRegex(dir)}(?:/|$)`
    ]
    patterns.push({
      regex: alternatives.join('|'),
      message: `${layer.name} may not import from ${dir}: ${layer.why} (docs/architecture.md, Layers).`
    })
  }
  return { paths, patterns }
}

/** One config block per folder depth, because a relative specifier's target depends on where the file sits. */
function layerConfigs() {
  return LAYERS.flatMap((layer) => {
    if (layer.files) {
      // Single files sit directly in layer.dir, at depth 0.
      return [{ name: `layers/${layer.name}`, files: layer.files, rules: restrictImports(restrictionsFor(layer, 0)) }]
    }
    return Array.from({ length: MAX_DEPTH + 1 }, (_, depth) => ({
      name: `layers/${layer.name}/depth-${depth}`,
      files: [
        depth < MAX_DEPTH
          ? `${layer.dir}/${'*/'.repeat(depth)}*.${SOURCE_EXTENSIONS}`
          : `${layer.dir}/${'*/'.repeat(depth)}**/*.${SOURCE_EXTENSIONS}`
      ],
      rules: restrictImports(restrictionsFor(layer, depth))
    }))
  })
}

/**
 * @param {Restrictions} restrictions
 * @returns {import('eslint').Linter.RulesRecord}
 */
function restrictImports({ paths, patterns }) {
  return { 'no-restricted-imports': ['error', { paths, patterns }] }
}

export default defineConfig(
  {
    name: 'parley/ignores',
    ignores: ['out/', '.ab/', 'dist/', 'node_modules/', 'test-results/', 'playwright-report/', '.parley-data/']
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'parley/defaults',
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node }
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // As TypeScript's noFallthroughCasesInSwitch: a case holding only a comment is an intended fallthrough.
      'no-fallthrough': ['error', { allowEmptyCase: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_'
        }
      ]
    }
  },
  {
    // Playwright reads a fixture's dependencies from its first parameter, which must be a (possibly empty) pattern.
    name: 'parley/playwright-fixtures',
    files: ['e2e/**'],
    rules: { 'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }] }
  },
  {
    name: 'parley/renderer-globals',
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } }
  },
  {
    name: 'parley/commonjs',
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' }
  },
  layerConfigs()
)
