// Why a store action failed, as the screens need to tell it: the storage and sync layers' error
// checks and codes, so the UI never imports those layers.
export { isStorageError } from '../storage/index.ts'
export { isSyncHttpError, NETWORK_ERROR, NO_SYNC_ROLE } from '../sync/index.ts'
