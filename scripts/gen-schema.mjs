// Regenerates schema/shipgate.schema.json from the zod schema (run `npm run schema`).
import { writeFileSync } from 'node:fs'
import { configJsonSchemaText } from '../dist/config/json-schema.js'

writeFileSync(new URL('../schema/shipgate.schema.json', import.meta.url), configJsonSchemaText())
console.error('wrote schema/shipgate.schema.json')
