import { applyTheme, preferenceStorage, readThemeChoice } from './look/theme'
import { bootInStages } from './boot/stages'
// KaTeX's stylesheet with the window's own (24 KB; its fonts load only when a formula is drawn): answers of the screen
// kept from the last start (chat/first-screen.ts) are drawn, formulas and all, before the markdown stack is in.
import 'katex/dist/katex.min.css'
import './styles.css'

// The window's entry: only what the first steps need. The rest of its code comes in stages (boot/stages.ts), each
// evaluated in a task of its own, so that the start never holds the page in one long task (issue 11).

// The saved theme, before anything is drawn (no flash of the other one, even on the startup error).
applyTheme(document.documentElement, readThemeChoice(preferenceStorage()))
const container = document.getElementById('root')
if (!container) throw new Error('index.html has no #root element')
void bootInStages(container, {
  forFirstSteps: [
    () => import('./zod-csp'),
    () => import('dexie'),
    () => import('../../shared/events'),
    () => import('../../shared/api'),
    () => import('../../shared')
  ],
  firstSteps: () => import('./boot/first-steps'),
  // React, then its DOM renderer, then react-virtuoso (which needs both): each chunk evaluated on its own.
  forApp: [() => import('react'), () => import('react-dom/client'), () => import('react-virtuoso')],
  react: () => import('react-dom/client'),
  app: () => import('./boot/start-app')
})
