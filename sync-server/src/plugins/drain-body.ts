// Reads and discards the rest of a refused request body so the client can finish sending and read the answer.
import type { IncomingMessage } from 'node:http'

/** Past either limit the client gets a closed connection, as before: no one waits forever. */
export const DRAIN_MAX_BYTES = 32 * 1024 * 1024
export const DRAIN_MAX_MS = 30_000

export function drainBody(
  raw: IncomingMessage,
  maxBytes = DRAIN_MAX_BYTES,
  maxMs = DRAIN_MAX_MS,
): Promise<void> {
  if (raw.complete || raw.readableEnded || raw.destroyed) return Promise.resolve()
  return new Promise((resolve) => {
    let received = 0
    const done = () => {
      clearTimeout(timer)
      raw.off('data', onData)
      raw.off('end', done)
      raw.off('close', done)
      raw.off('error', done)
      resolve()
    }
    const onData = (chunk: Buffer) => {
      received += chunk.length
      if (received > maxBytes) done()
    }
    const timer = setTimeout(done, maxMs)
    raw.on('data', onData)
    raw.on('end', done)
    raw.on('close', done)
    raw.on('error', done)
    raw.resume()
  })
}
