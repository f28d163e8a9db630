import { z } from 'zod'

// Zod 4 probes for `new Function` to compile faster parsers. The page's Content-Security-Policy forbids eval, so the
// probe only logs a CSP violation on every start; jitless mode skips it. The first stage after React (main.tsx, boot/stages.ts), before any schema is made.
z.config({ jitless: true })
