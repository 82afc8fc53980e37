// The client's page at /r/: the language switch on top, then one screen at a time. A screen is
// rebuilt only when it or the language changes; otherwise it updates in place.
import {
  fill,
  isRemoteLocale,
  LOCALE_NAMES,
  REMOTE_LOCALES,
  REMOTE_TEXTS,
  type RemoteLocale,
  type RemoteTexts,
} from '../../i18n/remote-page.ts'
import type { RemoteFormFlow, RemoteState, Screen } from '../../state/remote-form.ts'
import { codeScreen, shortCodeScreen } from './code-screens.ts'
import { h } from './dom.ts'
import { formScreen, type ScreenView } from './form-screen.ts'
import { closedWords, problemText } from './words.ts'

function wordsScreen(id: string, heading: string, text: string, extra?: HTMLElement): ScreenView {
  const title = h('h1', { id, tabindex: -1 }, heading)
  const element = h('section', { class: 'r-words', 'aria-labelledby': id }, title, h('p', {}, text))
  if (extra) element.append(extra)
  return { element, focusTarget: title, update: () => {} }
}

function buildScreen(
  state: RemoteState,
  t: RemoteTexts,
  locale: RemoteLocale,
  flow: RemoteFormFlow,
): ScreenView {
  const screen = state.screen
  switch (screen.kind) {
    case 'loading': {
      const status = h('p', { role: 'status', class: 'r-loading' }, t.loading)
      return { element: status, focusTarget: status, update: () => {} }
    }
    case 'unreachable': {
      const again = h('button', { type: 'button', class: 'primary big' }, t.tryAgain)
      again.addEventListener('click', () => void flow.check())
      const title = t.pageTitleNoOrg
      return wordsScreen('words-title', title, problemText(screen.problem, t), again)
    }
    case 'short-code':
      return shortCodeScreen(t, flow)
    case 'code':
      return codeScreen(t, locale, state.expiresAt, flow)
    case 'form':
      return formScreen(screen, t, locale, flow)
    case 'thanks':
      return wordsScreen('thanks-title', t.thanksTitle, t.thanksText)
    case 'closed': {
      const [heading, text] = closedWords(screen.reason, t)
      return wordsScreen('closed-title', heading, text)
    }
  }
}

/** Before the link's language is known (or for a link that no longer works): the browser's. */
function browserLocale(): RemoteLocale {
  for (const tag of navigator.languages ?? []) {
    const primary = tag.toLowerCase().split('-')[0]
    if (primary === 'nn' || primary === 'en') return primary
    if (primary === 'nb' || primary === 'no') return 'nb'
  }
  return 'nb'
}

/** Which build a screen belongs to: the same key updates it, another rebuilds it. */
function screenKey(screen: Screen, locale: string): string {
  // The form's own language too: its wording arrives after a switch and rebuilds the lines.
  const form = screen.kind === 'form' ? `:${screen.form.instrumentId}:${screen.form.locale}` : ''
  return `${locale}:${screen.kind}${form}`
}

export function mountRemotePage(root: HTMLElement, flow: RemoteFormFlow): void {
  const org = h('p', { class: 'r-org' })
  const langs = h('div', { class: 'r-langs', role: 'group' })
  const buttons = REMOTE_LOCALES.map((l) => {
    const b = h('button', { type: 'button', lang: l }, LOCALE_NAMES[l])
    b.addEventListener('click', () => flow.setLocale(l))
    langs.append(b)
    return b
  })
  const main = h('main', { class: 'r-main', id: 'main' })
  root.append(h('header', { class: 'r-top' }, org, langs), main)

  let view: ScreenView | null = null
  let key = ''
  let shownLocale = ''
  const render = (state: RemoteState) => {
    const locale: RemoteLocale = isRemoteLocale(state.locale) ? state.locale : browserLocale()
    const t = REMOTE_TEXTS[locale]
    document.documentElement.lang = locale
    const screen = state.screen
    const open = screen.kind !== 'closed' && state.organisation
    document.title = open ? fill(t.pageTitle, { org: state.organisation ?? '' }) : t.pageTitleNoOrg
    org.textContent = open ? (state.organisation ?? '') : ''
    langs.setAttribute('aria-label', t.language)
    for (const [i, b] of buttons.entries()) {
      b.setAttribute('aria-pressed', String(REMOTE_LOCALES[i] === locale))
    }

    const nextKey = screenKey(screen, locale)
    if (view && nextKey === key) {
      view.update(screen)
      return
    }
    // The form's wording in the new language arrives a moment after the switch: focus stays there.
    const onSwitch = buttons.some((b) => b === document.activeElement)
    const languageChanged = (shownLocale !== '' && shownLocale !== locale) || onSwitch
    const first = view === null || key.endsWith(':loading')
    view = buildScreen(state, t, locale, flow)
    key = nextKey
    shownLocale = locale
    main.replaceChildren(view.element)
    view.update(screen)
    // A new screen is announced by moving focus to its heading (unless it focused a field with a
    // problem itself); a language switch keeps focus on the switch; the first screen after
    // loading leaves focus where the browser put it.
    if (languageChanged) buttons[REMOTE_LOCALES.indexOf(locale)]?.focus()
    else if (!first && !view.element.contains(document.activeElement)) view.focusTarget.focus()
  }
  flow.subscribe(render)
  render(flow.current)
}
