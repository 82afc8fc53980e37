// Before the form: the 6-digit code (a link was opened), or the short code and the code (the page
// was opened at /r/ with nothing). Typed values stay while problems come and go.
import { fill, type RemoteTexts } from '../../i18n/remote-page.ts'
import type { Problem, RemoteFormFlow, Screen } from '../../state/remote-form.ts'
import { h } from './dom.ts'
import type { ScreenView } from './form-screen.ts'
import { problemText } from './words.ts'

function field(
  id: string,
  label: string,
  attrs: Record<string, string | number>,
): { element: HTMLElement; input: HTMLInputElement } {
  const input = h('input', { id, name: id, type: 'text', ...attrs })
  return { element: h('div', { class: 'r-field' }, h('label', { for: id }, label), input), input }
}

function codeField(t: RemoteTexts) {
  return field('code', t.codeLabel, {
    inputmode: 'numeric',
    pattern: '[0-9 ]*',
    autocomplete: 'one-time-code',
    maxlength: 8,
    enterkeyhint: 'go',
    spellcheck: 'false',
  })
}

/** The problem's words under the fields; the field it is about is marked invalid. */
function problemArea(inputs: Record<string, HTMLInputElement>, fieldOf: (p: Problem) => string) {
  const element = h('p', { id: 'code-problem', class: 'error', role: 'alert', hidden: true })
  const show = (problem: Problem | null, t: RemoteTexts) => {
    element.hidden = problem === null
    element.textContent = problem ? problemText(problem, t) : ''
    const bad = problem ? fieldOf(problem) : ''
    for (const [name, input] of Object.entries(inputs)) {
      if (name === bad) {
        input.setAttribute('aria-invalid', 'true')
        input.setAttribute('aria-describedby', 'code-problem')
      } else {
        input.removeAttribute('aria-invalid')
        input.removeAttribute('aria-describedby')
      }
    }
    return inputs[bad]
  }
  return { element, show }
}

function expiryLine(expiresAt: string | null, locale: string, t: RemoteTexts): HTMLElement | null {
  if (!expiresAt) return null
  const date = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'nb-NO', {
    dateStyle: 'long',
    timeStyle: 'short',
  }).format(new Date(expiresAt))
  return h('p', { class: 'hint' }, fill(t.expires, { date }))
}

function codeForm(t: RemoteTexts, heading: string, intro: string, fields: HTMLElement[]) {
  const title = h('h1', { id: 'code-title', tabindex: -1 }, heading)
  const button = h('button', { type: 'submit', class: 'primary big' }, t.open)
  const form = h(
    'form',
    { class: 'r-code', 'aria-labelledby': 'code-title', novalidate: true },
    title,
    h('p', {}, intro),
    ...fields,
  )
  return { title, button, form }
}

export function codeScreen(
  t: RemoteTexts,
  locale: string,
  expiresAt: string | null,
  flow: RemoteFormFlow,
): ScreenView {
  const code = codeField(t)
  const { title, button, form } = codeForm(t, t.codeTitle, t.codeIntro, [code.element])
  const problem = problemArea({ code: code.input }, () => 'code')
  form.append(problem.element, button)
  const extra = expiryLine(expiresAt, locale, t)
  if (extra) form.append(extra)
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    void flow.openWithCode(code.input.value)
  })
  const update = (screen: Screen) => {
    if (screen.kind !== 'code') return
    button.textContent = screen.busy ? t.opening : t.open
    button.disabled = screen.busy
    const bad = problem.show(screen.problem, t)
    if (bad && !screen.busy) bad.select()
  }
  return { element: form, focusTarget: title, update }
}

export function shortCodeScreen(t: RemoteTexts, flow: RemoteFormFlow): ScreenView {
  const short = field('short-code', t.shortLabel, {
    autocomplete: 'off',
    autocapitalize: 'characters',
    spellcheck: 'false',
    maxlength: 14,
  })
  const code = codeField(t)
  const { title, button, form } = codeForm(t, t.shortTitle, t.shortIntro, [
    short.element,
    code.element,
  ])
  const problem = problemArea({ 'short-code': short.input, code: code.input }, (p) =>
    p.kind === 'short-format' || p.kind === 'short-unknown'
      ? 'short-code'
      : p.kind === 'code-format'
        ? 'code'
        : '',
  )
  form.append(problem.element, button)
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    void flow.openWithShortCode(short.input.value, code.input.value)
  })
  const update = (screen: Screen) => {
    if (screen.kind !== 'short-code') return
    button.textContent = screen.busy ? t.opening : t.open
    button.disabled = screen.busy
    const bad = problem.show(screen.problem, t)
    if (bad && !screen.busy) bad.select()
  }
  return { element: form, focusTarget: title, update }
}
