// Persistent-storage request and usage estimate for the settings screen.
export { estimateStorage, requestPersistence } from '../storage/index.ts'
