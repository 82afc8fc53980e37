// E-mail of remote links through the organisation's SMTP server (SMTP_URL, SMTP_FROM), by nodemailer.
import nodemailer from 'nodemailer'
import { failed, type Sender, type SendOutcome } from './senders.ts'

interface SmtpError {
  code?: string
  responseCode?: number
}

/** Words for the practitioner: what kind of failure, never the server's text (it may quote the address). */
function failure(error: unknown): SendOutcome {
  const { code, responseCode } = (error ?? {}) as SmtpError
  if (typeof responseCode === 'number') {
    // 5xx refusals of the recipient are final; 4xx and the rest may pass later.
    const final = responseCode >= 500 && code === 'EENVELOPE'
    return failed(
      final
        ? `The e-mail server refused the address (SMTP ${responseCode}): check it and send a new link.`
        : `The e-mail server did not take the message (SMTP ${responseCode}).`,
      !final,
    )
  }
  if (code === 'EAUTH') return failed('The e-mail server refused Linja’s sign-in (check SMTP_URL).')
  return failed('Could not reach the e-mail server.')
}

export function mailSender(smtp: { url: string; from: string }): Sender {
  const transport = nodemailer.createTransport(smtp.url)
  return {
    async send(to, message) {
      try {
        await transport.sendMail({
          from: smtp.from,
          to,
          subject: message.subject,
          text: message.text,
        })
        return { sent: true }
      } catch (error) {
        return failure(error)
      }
    },
    close: () => transport.close(),
  }
}
