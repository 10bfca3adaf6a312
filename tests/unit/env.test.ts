import { describe, expect, it } from "vitest";

import { parseEnv } from "~/env";

describe("parseEnv", () => {
  it("accepts an empty environment with defaults", () => {
    expect(parseEnv({})).toMatchObject({ NODE_ENV: "development", DATABASE_POOL_MAX: 10, RACE_LAB: false });
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", SESSION_SECRET: "" }).DATABASE_URL).toBeUndefined();
  });

  it("names every invalid variable in one message", () => {
    expect(() =>
      parseEnv({ DATABASE_URL: "mysql://x", SESSION_SECRET: "short", GENERATION_LATENCY_MS: "-1" }),
    ).toThrow(/DATABASE_URL: must be a postgres[\s\S]*SESSION_SECRET: must be at least 32[\s\S]*GENERATION_LATENCY_MS/);
  });

  it("bounds every statement by default, statement_timeout above lock_timeout", () => {
    expect(parseEnv({})).toMatchObject({
      DATABASE_LOCK_TIMEOUT_MS: 5000,
      DATABASE_STATEMENT_TIMEOUT_MS: 15_000,
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: 10_000,
      DATABASE_CONNECT_TIMEOUT_MS: 5000,
    });
    expect(() => parseEnv({ DATABASE_STATEMENT_TIMEOUT_MS: "10000" })).toThrow(
      /DATABASE_STATEMENT_TIMEOUT_MS: must be above twice DATABASE_LOCK_TIMEOUT_MS/,
    );
  });

  it("turns the query log on with DATABASE_LOG=1 outside production, and refuses it in production", () => {
    expect(parseEnv({}).DATABASE_LOG).toBe(false);
    expect(parseEnv({ DATABASE_LOG: "1" }).DATABASE_LOG).toBe(true);
    expect(parseEnv({ DATABASE_LOG: "1", NODE_ENV: "test" }).DATABASE_LOG).toBe(true);
    expect(parseEnv({ DATABASE_LOG: "0", NODE_ENV: "production" }).DATABASE_LOG).toBe(false);
    expect(() => parseEnv({ DATABASE_LOG: "1", NODE_ENV: "production" })).toThrow(/DATABASE_LOG: is for development only/);
  });
});
