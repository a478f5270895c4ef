import { openMemoryStore } from '../../src/stores/memory/index.js'
import { storeContract } from '../contract/store.contract.js'

storeContract('memory store', () => Promise.resolve(openMemoryStore()))
