// A few lines instead of a framework: the remote page builds its small DOM with these (React alone
// would be more than the page's whole budget, see README "Bundle-size budget").

type Attrs = Record<string, string | number | boolean | null | undefined>
type Child = Node | string | null | undefined | false

/** An element with attributes (null, undefined and false leave one out) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  setAttrs(element, attrs)
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    element.append(child)
  }
  return element
}

export function setAttrs(element: Element, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) element.removeAttribute(name)
    else element.setAttribute(name, value === true ? '' : String(value))
  }
}

const SVG = 'http://www.w3.org/2000/svg'

export function svg(tag: string, attrs: Attrs = {}, ...children: Element[]): SVGElement {
  const element = document.createElementNS(SVG, tag) as SVGElement
  setAttrs(element, attrs)
  element.append(...children)
  return element
}
