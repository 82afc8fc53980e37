// What the practitioner's screens decide about remote links without the server: the words a
// link's sending is told in, and which addresses the dialog sends on.
import type { DeliveryView, RemoteLinkView } from '../core/remote-links.ts'

export type { RemoteLinkView }

type RemoteDelivery = DeliveryView

/** How one message is getting on, as the practitioner is told it. */
export type DeliveryState = 'sending' | 'retrying' | 'sent' | 'failed'

export function deliveryState(delivery: RemoteDelivery): DeliveryState {
  if (delivery.status === 'sent') return 'sent'
  if (delivery.status === 'failed') return 'failed'
  // Still pending: a first try on its way, or tries that failed and will be made again.
  return delivery.attempts > 0 ? 'retrying' : 'sending'
}

/**
 * The messages worth telling about: the latest of each kind (a retried message is one message),
 * and only while the link waits: once used, revoked or expired its sending no longer matters.
 */
export function deliveriesToTell(link: RemoteLinkView): RemoteDelivery[] {
  if (link.state !== 'waiting' || link.channel === 'show') return []
  const latest = new Map<RemoteDelivery['kind'], RemoteDelivery>()
  for (const d of link.deliveries) {
    const seen = latest.get(d.kind)
    if (!seen || seen.at <= d.at) latest.set(d.kind, d)
  }
  const order: RemoteDelivery['kind'][] = ['link', 'code', 'reminder']
  return order.flatMap((kind) => latest.get(kind) ?? [])
}

/** Whether sending is still under way, so the screen asks again in a moment. */
export function stillSending(link: RemoteLinkView): boolean {
  return deliveriesToTell(link).some((d) => d.status === 'pending')
}

/** A reminder can be sent once, by the channel the link went by, while the link waits. */
export function canRemind(link: RemoteLinkView): boolean {
  return link.state === 'waiting' && link.channel !== 'show' && link.reminderSentAt === null
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/**
 * The address as it is sent (spaces and dashes dropped from a phone number), or null when it is
 * not one the channel can use: the dialog says so before asking the server.
 */
export function cleanAddress(channel: 'email' | 'sms', typed: string): string | null {
  const text = typed.trim()
  if (channel === 'email') return text.length <= 254 && EMAIL.test(text) ? text : null
  const number = text.replace(/[\s-]/g, '')
  // Eight digits (a Norwegian mobile number) or an international number with its country code.
  return /^(\d{8}|\+\d{8,15}|00\d{8,15})$/.test(number) ? number : null
}
