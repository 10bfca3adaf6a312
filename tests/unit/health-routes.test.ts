import { describe, expect, it } from "vitest";

import { GET } from "~/app/api/health/live/route";

describe("liveness (/api/health/live)", () => {
  it("answers 200 ok synchronously: it awaits nothing, the database included", async () => {
    const response = GET();
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });
});
