/**
 * A request body limit for /api/trpc. A body with a Content-Length over the limit, or a
 * chunked one that grows past it while it is read, gets a clear PAYLOAD_TOO_LARGE (413)
 * and is not parsed; a declared length within the limit is not read twice. The largest
 * valid input (a 2000-character prompt) is a few KiB.
 */
import { TRPCError } from "@trpc/server";

export const MAX_BODY_BYTES = 64 * 1024;

const tooLarge = (size: string) =>
  new TRPCError({
    code: "PAYLOAD_TOO_LARGE",
    message: `The request body is ${size}; the limit is ${MAX_BODY_BYTES / 1024} KiB.`,
  });

/** The request with its body buffered, or the error to answer when the body is too large. */
export async function limitRequestBody(req: Request): Promise<{ req: Request; error?: TRPCError }> {
  if (!req.body) return { req };
  const declared = Number(req.headers.get("content-length") ?? Number.NaN);
  if (declared > MAX_BODY_BYTES) {
    await req.body.cancel();
    return { req: withoutBody(req), error: tooLarge(`${declared} bytes`) };
  }
  // A declared length is what the HTTP parser delivers, byte for byte (it frames the body by
  // it): within the limit there is nothing to count, and the request goes on as it came.
  if (Number.isSafeInteger(declared) && declared >= 0) return { req };

  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return { req: withoutBody(req), error: tooLarge(`over ${MAX_BODY_BYTES} bytes`) };
    }
    chunks.push(value);
  }
  return { req: new Request(req.url, { method: req.method, headers: req.headers, body: Buffer.concat(chunks) }) };
}

function withoutBody(req: Request) {
  return new Request(req.url, { method: req.method, headers: req.headers, body: "{}" });
}
