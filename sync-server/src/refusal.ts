// The server's one way to say no: routes, hooks and the sync engine throw a Refusal; the error handler answers it as {error, message, ...extra}.
export class Refusal extends Error {
  /**
   * `statusCode` (Fastify's name) so the reply's status follows even before the error handler
   * runs; `code` is the stable word the app acts on; `extra` adds fields (wipe, seq, errors…).
   */
  constructor(
    public readonly statusCode: number,
    public readonly code: string,
    message: string,
    public readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message)
    this.name = 'Refusal'
  }
}
