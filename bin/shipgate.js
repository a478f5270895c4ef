#!/usr/bin/env node
import { main } from '../dist/bundle/main.js'

process.exit(await main(process.argv.slice(2)))
