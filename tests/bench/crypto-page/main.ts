// Bench page for tests/bench/crypto-bench.ts: runs the shared timing loop on the real IndexedDB of the browser that loads it.
import { openLinjaDb } from '../../../src/storage/index.ts'
import { type CryptoTimings, timeCrypto } from '../crypto-timing.ts'

export interface CryptoBenchWindow {
  linjaCryptoBench: () => Promise<CryptoTimings>
}

;(window as unknown as CryptoBenchWindow).linjaCryptoBench = () => {
  const run = crypto.randomUUID()
  return timeCrypto((name) => openLinjaDb(`${name}-${run}`))
}
