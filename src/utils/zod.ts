/**
 * zod for shipgate's schemas: the tree-shakable `zod/mini` API (the full `zod` build costs about
 * 70 ms of start-up in the CLI bundle), with English error messages configured once here.
 * Write `import * as z from '../utils/zod.js'`, not 'zod/mini' directly, so messages are always
 * set up. (A namespace import keeps tree-shaking: only what is used is bundled.)
 */
import { config } from 'zod/mini'
import en from 'zod/v4/locales/en.js'

config(en())

export * from 'zod/mini'
