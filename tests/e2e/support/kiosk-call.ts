import { adminPin, type KioskHost } from './kiosk-host.ts';

/** A call to a host-mode kiosk's API exactly as its page makes one (the page URL's bearer token): a test's or a bench's hand. */
export async function callKiosk(host: Pick<KioskHost, 'url' | 'origin'>, method: string, args: unknown[] = []): Promise<unknown> {
  const token = new URLSearchParams(new URL(host.url).hash.slice(1)).get('token');
  const response = await fetch(`${host.origin}/api/call`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ method, args }),
  });
  const answer = (await response.json()) as { ok: boolean; result?: unknown; error?: string };
  if (!answer.ok) throw new Error(`${method}: ${answer.error} (HTTP ${response.status})`);
  return answer.result;
}

/**
 * The demonstrator's PIN through the API, signed in and straight out again: the kiosk then takes
 * simulated fingers for the next 15 minutes (PinService.demoFingersAllowed), as after a demonstrator
 * left the staff screen.
 */
export async function allowDemoFingers(host: Pick<KioskHost, 'url' | 'origin'>): Promise<void> {
  const check = (await callKiosk(host, 'staff.verifyPin', [adminPin])) as { ok: boolean };
  if (!check.ok) throw new Error('the admin PIN was refused (locked out?)');
  await callKiosk(host, 'staff.signOut');
}

/** A simulated finger on the kiosk's demo reader (or 'lift'), with no button on screen. */
export async function placeFinger(host: Pick<KioskHost, 'url' | 'origin'>, finger: string): Promise<void> {
  await callKiosk(host, 'reader.simulateFinger', [finger]);
}
