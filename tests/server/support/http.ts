// Tests inspect responses loosely and let toMatchObject and the core schemas do the checking.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LooseBody = any;

export interface ApiResponse<T = LooseBody> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** sent as is, for malformed-body tests */
  rawBody?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export async function api<T = LooseBody>(baseUrl: string, method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: left as text for the assertion to show
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}
