// The citizen's and the staff member's taps, run inside the kiosk page. Ten thousand tickets
// through Playwright's protocol round trips (five per ticket) would take most of an hour; a driver
// in the page taps the same buttons (element.click() reaches React's handlers as a tap does) and
// waits for the same screens, so a batch costs one round trip. Kept as plain JavaScript text: it is
// injected as it is, with no bundler helpers to go missing.

/** What the page's `window.__soak` offers; each call rejects with the screen it was stuck on. */
export interface SoakDriver {
  /** one ticket after another; each answer says how its print ended */
  tickets(jobs: { departmentId: string; serviceId: string; priority: string }[]): Promise<{ label: string; print: string }[]>;
  guides(views: { departmentId: string; serviceId: string }[]): Promise<void>;
  checkin(staffId: string): Promise<{ name: string; kind: string }>;
  /** real milliseconds waited so far before each kind of tap, e.g. `dept` or `confirm` */
  steps(): Record<string, number>;
}

/** The page's window once the init script ran (page.evaluate callbacks cannot import helpers). */
export type SoakWindow = Window & { __soak: SoakDriver };

export const soakDriverScript = String.raw`
(() => {
  const byTestId = (id) => document.querySelector('[data-testid="' + id + '"]');
  const screenNow = () => document.querySelector('main > section')?.getAttribute('data-testid') ?? 'nothing';
  const waitFor = (find, what, timeoutMs = 15000) =>
    new Promise((resolve, reject) => {
      const first = find();
      if (first) return resolve(first);
      const timer = setTimeout(() => {
        observer.disconnect();
        reject(new Error('waited ' + timeoutMs + ' ms for ' + what + ' on the "' + screenNow() + '" screen'));
      }, timeoutMs);
      const observer = new MutationObserver(() => {
        const found = find();
        if (!found) return;
        observer.disconnect();
        clearTimeout(timer);
        resolve(found);
      });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
  // Real milliseconds spent waiting for each step's screen, by step: where a slow soak's time goes.
  const steps = {};
  const timed = async (step, wait) => {
    const started = performance.now();
    const found = await wait();
    steps[step] = (steps[step] ?? 0) + performance.now() - started;
    return found;
  };
  const tap = async (id) => {
    const target = await timed(id.split('-')[0], () => waitFor(() => byTestId(id), id));
    timed('click-' + id.split('-')[0], async () => target.click());
  };
  const home = () => timed('home', () => waitFor(() => byTestId('home'), 'the home screen'));

  const ticket = async (departmentId, serviceId, priority) => {
      await tap('take-ticket');
      await tap('dept-' + departmentId);
      await tap('service-' + serviceId);
      await tap('priority-' + priority);
      await tap('confirm-ticket');
      await timed('issue', () => waitFor(() => byTestId('ticket-label'), 'the ticket number'));
      const state = await timed('print', () => waitFor(() => {
        const el = byTestId('ticket-print-state');
        return el && el.getAttribute('data-state') !== 'printing' ? el : null;
      }, 'the end of printing'));
      const label = byTestId('ticket-label').textContent.trim();
      await tap('ticket-done');
      await home();
      return { label, print: state.getAttribute('data-state') };
  };
  const guide = async (departmentId, serviceId) => {
      await tap('find-guide');
      await tap('browse-departments');
      await tap('dept-' + departmentId);
      await tap('service-' + serviceId);
      await waitFor(() => document.querySelector('[data-testid="guide"][data-service-id="' + serviceId + '"]'), 'the guide of ' + serviceId);
      await tap('nav-home');
      await home();
  };

  window.__soak = {
    steps: () => steps,
    async tickets(jobs) {
      const answers = [];
      for (const job of jobs) answers.push(await ticket(job.departmentId, job.serviceId, job.priority));
      return answers;
    },
    async guides(views) {
      for (const view of views) await guide(view.departmentId, view.serviceId);
    },
    async checkin(staffId) {
      await tap('staff-checkin');
      await waitFor(() => byTestId('checkin-prompt'), 'the fingerprint prompt');
      await tap('simulate-' + staffId);
      const result = await waitFor(() => byTestId('checkin-result') || byTestId('checkin-refused'), 'a check-in answer');
      const answer = result.getAttribute('data-testid') === 'checkin-result'
        ? { name: byTestId('checkin-name').textContent.trim(), kind: result.querySelector('.checkin-kind').textContent.trim() }
        : { name: '', kind: result.textContent.trim() };
      // A simulated tap rests on the sensor for 1.5 real seconds; the page's clock jumps hours, so
      // lift it now or the home screen's finger watch would take it for a new touch.
      const token = sessionStorage.getItem('hall-kiosk.api-token');
      await fetch('/api/call', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + token },
        body: JSON.stringify({ method: 'reader.simulateFinger', args: ['lift'] }),
      });
      await tap('nav-home');
      await home();
      return answer;
    },
  };
})();
`;
