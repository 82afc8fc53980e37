// A start-up failure whose message already says what failed and what to do; server.ts prints it as it is.
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StartupError'
  }
}
