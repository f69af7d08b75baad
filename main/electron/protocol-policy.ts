import { resolve, sep } from 'node:path';
import { isAppUrl } from './origin-policy.ts';

/**
 * The file under `rootDir` an app:// request may read, or null. Dot segments are already folded
 * by the URL parser, but a percent-encoded slash or backslash only becomes one after decoding,
 * so the decoded path is resolved again and must stay inside the root.
 */
export function resolveAppFile(rootDir: string, requestUrl: string): string | null {
  if (!isAppUrl(requestUrl)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(requestUrl).pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  if (pathname === '/' || pathname === '') pathname = '/index.html';
  const root = resolve(rootDir);
  const file = resolve(root, `.${pathname}`);
  if (!file.startsWith(root + sep)) return null;
  // No dotfiles: nothing the build emits starts with a dot, so such a request is a probe.
  if (file.slice(root.length).split(sep).some((part) => part.startsWith('.'))) return null;
  return file;
}
