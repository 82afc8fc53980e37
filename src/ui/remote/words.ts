import { fill, type RemoteTexts } from '../../i18n/remote-page.ts'
import type { ClosedReason, Problem } from '../../state/remote-form.ts'

export function problemText(problem: Problem, t: RemoteTexts): string {
  switch (problem.kind) {
    case 'code-format':
      return t.codeFormat
    case 'short-format':
      return t.shortFormat
    case 'short-unknown':
      return t.shortUnknown
    case 'code-wrong':
      return problem.attemptsLeft === 1
        ? t.codeWrongOne
        : fill(t.codeWrong, { n: problem.attemptsLeft })
    case 'busy':
      return t.tooMany
    case 'send-failed':
      return t.sendFailed
    case 'send-invalid':
      return t.sendInvalid
    case 'network':
    case 'failed':
      return t.network
  }
}

export function closedWords(reason: ClosedReason, t: RemoteTexts): [string, string] {
  switch (reason) {
    case 'expired':
      return [t.expiredTitle, t.expiredText]
    case 'used':
      return [t.usedTitle, t.usedText]
    case 'revoked':
      return [t.revokedTitle, t.revokedText]
    case 'locked':
      return [t.lockedTitle, t.lockedText]
    case 'unknown':
      return [t.unknownTitle, t.unknownText]
  }
}
