import { FACE_FILL, type Mood, mouthPath } from '../shared/faces.ts'
import { svg } from './dom.ts'

/** One face, drawn like client mode's (src/ui/client-mode/Face.tsx) from the same numbers. */
export function faceSvg(mood: Mood, size: number, className?: string): SVGElement {
  const ink = '#1b2a30'
  return svg(
    'svg',
    {
      class: className,
      width: size,
      height: size,
      viewBox: '0 0 64 64',
      'aria-hidden': 'true',
      focusable: 'false',
    },
    svg('circle', { cx: 32, cy: 32, r: 29, fill: FACE_FILL[mood], stroke: ink, 'stroke-width': 3 }),
    svg('circle', { cx: 22, cy: 25, r: 4, fill: ink }),
    svg('circle', { cx: 42, cy: 25, r: 4, fill: ink }),
    svg('path', {
      d: mouthPath(mood),
      fill: 'none',
      stroke: ink,
      'stroke-width': 3.5,
      'stroke-linecap': 'round',
    }),
  )
}
