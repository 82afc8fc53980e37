// The client's remote form page (/r/): its own small bundle, nothing of the practitioner app.
import { RemoteFormFlow } from '../state/remote-form.ts'
import { mountRemotePage } from '../ui/remote/remote-page.ts'
import '../ui/remote/remote.css'

const root = document.getElementById('root')
if (!root) throw new Error('#root is missing from r/index.html')
const flow = new RemoteFormFlow()
mountRemotePage(root, flow)
void flow.start(location.hash, () => history.replaceState(null, '', location.pathname))
// Another link pasted into this tab changes only the fragment: start again with it.
window.addEventListener('hashchange', () => location.reload())
