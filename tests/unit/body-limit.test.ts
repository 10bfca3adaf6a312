import { describe, expect, it } from "vitest";

import { limitRequestBody, MAX_BODY_BYTES } from "~/server/api/body-limit";

const url = "http://localhost/api/trpc/project.create";

function chunked(bytes: number) {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let sent = 0; sent < bytes; sent += 1024) controller.enqueue(new Uint8Array(Math.min(1024, bytes - sent)));
      controller.close();
    },
  });
  return new Request(url, { method: "POST", body, duplex: "half" } as RequestInit);
}

describe("limitRequestBody", () => {
  it("passes a body with a declared length within the limit on as it came: not read, not copied", async () => {
    const body = JSON.stringify({ json: { title: "Declared" } });
    const request = new Request(url, { method: "POST", headers: { "content-length": String(body.length) }, body });
    const { req, error } = await limitRequestBody(request);
    expect(error).toBeUndefined();
    expect(req).toBe(request);
    expect(await req.text()).toBe(body);
  });

  it("refuses a declared length over the limit without reading the body", async () => {
    const request = new Request(url, {
      method: "POST",
      headers: { "content-length": String(MAX_BODY_BYTES + 1) },
      body: "x".repeat(MAX_BODY_BYTES + 1),
    });
    const { error } = await limitRequestBody(request);
    expect(error?.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("counts a chunked body (no declared length): within the limit it is buffered, past it refused", async () => {
    const within = await limitRequestBody(chunked(4096));
    expect(within.error).toBeUndefined();
    expect((await within.req.arrayBuffer()).byteLength).toBe(4096);

    const over = await limitRequestBody(chunked(MAX_BODY_BYTES + 1024));
    expect(over.error?.code).toBe("PAYLOAD_TOO_LARGE");
    expect(over.error?.message).toContain("over");
  });
});
