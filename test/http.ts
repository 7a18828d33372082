/**
 * One HTTP/1.1 request on a fresh connection, for tests of what a server really sends over a socket: the path is
 * sent as given (fetch normalises dot-segments) and the body is returned as received (no decoding).
 */
import http from "node:http";

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export function rawRequest(
  base: string,
  requestPath: string,
  options: { headers?: Record<string, string>; method?: string } = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: hostname,
        port,
        path: requestPath,
        headers: options.headers,
        method: options.method,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}
