// How a message leaves Linja: a sender per channel. A failure comes back in words fit for the
// practitioner (never the address, which a mail server's own message may quote), not as an
// exception: it is no refusal of a request, and the outbox decides whether to try again.
import type { Message } from './messages.ts'

export type SendOutcome =
  | { sent: true }
  | {
      sent: false
      /** What went wrong, for the practitioner. */
      error: string
      /** false: trying again cannot help (the address was refused). */
      retry: boolean
    }

export interface Sender {
  send(to: string, message: Message): Promise<SendOutcome>
  close?(): void
}

export type Senders = Partial<Record<'email' | 'sms', Sender>>

export const failed = (error: string, retry = true): SendOutcome => ({ sent: false, error, retry })
