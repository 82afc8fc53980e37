// One place that imports the chart chunk, so the screen and the idle-time warm-up share it.
export const loadClientCharts = () => import('./ClientCharts.tsx')

/**
 * Fetches the chart code once the practitioner's screens are idle, so charts still open after
 * the network goes away. Client mode never calls this: it stays free of chart code.
 */
export function warmUpCharts(): void {
  const run = () => {
    void loadClientCharts().catch(() => undefined)
  }
  if ('requestIdleCallback' in window) window.requestIdleCallback(run, { timeout: 3000 })
  else setTimeout(run, 1500)
}
