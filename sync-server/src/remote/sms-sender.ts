// SMS of remote links through the municipality's HTTP SMS gateway (SMS_GATEWAY_URL, _TOKEN,
// SMS_SENDER). The one request, documented in the README for whoever adapts a provider:
//   POST SMS_GATEWAY_URL, Authorization: Bearer SMS_GATEWAY_TOKEN, Content-Type: application/json
//   {"to": "+4791234567", "from": SMS_SENDER, "text": "…"}
// Any 2xx is sent; 4xx other than 408/429 is final; anything else is tried again later.
import { failed, type Sender } from './senders.ts'

const TIMEOUT_MS = 10_000

export function smsSender(sms: { url: string; token: string; sender: string }): Sender {
  return {
    async send(to, message) {
      let status: number
      try {
        const res = await fetch(sms.url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${sms.token}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ to, from: sms.sender, text: message.text }),
          signal: AbortSignal.timeout(TIMEOUT_MS),
          redirect: 'error',
        })
        status = res.status
        await res.body?.cancel()
      } catch {
        return failed('Could not reach the SMS gateway.')
      }
      if (status >= 200 && status < 300) return { sent: true }
      const final = status >= 400 && status < 500 && status !== 408 && status !== 429
      return failed(
        final
          ? `The SMS gateway refused the message (HTTP ${status}): check the number and send a new link.`
          : `The SMS gateway did not take the message (HTTP ${status}).`,
        !final,
      )
    },
  }
}
