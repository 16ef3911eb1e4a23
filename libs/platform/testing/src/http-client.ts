import http from 'node:http';

/** A small HTTP client for tests: JSON in, status + headers + parsed body out. */
export interface TestResponse<T = any> { // eslint-disable-line @typescript-eslint/no-explicit-any -- test bodies are inspected field by field
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  branchId?: string;
  headers?: Record<string, string>;
  /** A raw body sent as is (malformed JSON tests). */
  raw?: string;
  contentType?: string;
  /** Send from this local address (e.g. 127.0.0.2), to act as another client machine. */
  from?: string;
}

export function httpClient(baseUrl: string) {
  const send = async (method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<TestResponse> => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.branchId) headers['x-branch-id'] = options.branchId;
    let payload: string | undefined;
    if (options.raw !== undefined) payload = options.raw;
    else if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    const response = options.from ? await sendFrom(options.from, `${baseUrl}${path}`, method, headers, payload) : await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
  return {
    get: (path: string, options?: RequestOptions) => send('GET', path, undefined, options),
    post: (path: string, body?: unknown, options?: RequestOptions) => send('POST', path, body, options),
    patch: (path: string, body?: unknown, options?: RequestOptions) => send('PATCH', path, body, options),
    put: (path: string, body?: unknown, options?: RequestOptions) => send('PUT', path, body, options),
    delete: (path: string, options?: RequestOptions) => send('DELETE', path, undefined, options),
    send,
  };
}

export type HttpClient = ReturnType<typeof httpClient>;

/** Asserts an RFC 9457 problem response with the given status. */
export function expectProblem(response: TestResponse, status: number): void {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${response.text.slice(0, 300)}`);
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('application/problem+json')) throw new Error(`expected application/problem+json, got ${type}`);
  const body = response.body as { status?: number; title?: string; detail?: string; type?: string };
  if (body.status !== status || !body.title || !body.detail || !body.type) throw new Error(`not a complete problem document: ${response.text.slice(0, 300)}`);
}

/** Asserts a status and hands the response back, for chains such as `expectStatus(await …, 201).body`. */
export function expectStatus(response: TestResponse, status: number): TestResponse {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${response.text.slice(0, 300)}`);
  return response;
}

/** A request from a given local address (fetch cannot choose one). */
function sendFrom(localAddress: string, url: string, method: string, headers: Record<string, string>, payload: string | undefined): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, localAddress, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
        const status = res.statusCode ?? 0;
        resolve(new Response([204, 205, 304].includes(status) ? null : Buffer.concat(chunks), { status, headers: h }));
      });
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
