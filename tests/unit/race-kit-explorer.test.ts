import { describe, expect, it } from "vitest";

import { isFusable, multinomial, parseSchedule, seededRandom, withApplicationName } from "race-kit";

/** A protocol 3.0 StartupMessage with these parameters. */
function startupMessage(parameters: Record<string, string>) {
  const body = Buffer.from(`${Object.entries(parameters).map(([key, value]) => `${key}\0${value}\0`).join("")}\0`);
  const header = Buffer.alloc(8);
  header.writeInt32BE(body.length + 8, 0);
  header.writeInt32BE(196608, 4);
  return Buffer.concat([header, body]);
}

describe("race-kit explorer helpers", () => {
  it("names a lane's connection in its startup message, replacing the client's name and keeping the rest", () => {
    const named = withApplicationName(startupMessage({ user: "app", database: "shop", application_name: "mine" }), "lane-A");
    expect(named).toEqual(startupMessage({ user: "app", database: "shop", application_name: "lane-A" }));
    expect(withApplicationName(startupMessage({ user: "app" }), "lane-B")).toEqual(startupMessage({ user: "app", application_name: "lane-B" }));
  });

  it("fuses only statements that cannot affect another session", () => {
    for (const sql of ["begin", "BEGIN;", "begin isolation level repeatable read read only", "set local lock_timeout = '1s'", "select set_config('lock_timeout', $1, true)"]) {
      expect(isFusable(sql), sql).toBe(true);
    }
    for (const sql of ["select 1", "commit", "select set_config('a', $1, false)", "begin; delete from t", "set lock_timeout = '1s'", "select * from t for update"]) {
      expect(isFusable(sql), sql).toBe(false);
    }
  });

  it("counts the orderings that keep each request's own order", () => {
    expect(multinomial([2, 2])).toBe(6);
    expect(multinomial([7, 5])).toBe(792);
    expect(multinomial([3, 3, 3])).toBe(1680);
    expect(multinomial([0, 4])).toBe(1);
  });

  it("parses a schedule into the lane of each step and rejects anything else", () => {
    expect(parseSchedule(" A1 A2  B1 A3 ")).toEqual(["A", "A", "B", "A"]);
    expect(() => parseSchedule("A1 drop")).toThrow(/not a step/);
  });

  it("replays the same random sample from the same seed", () => {
    const [first, second] = [seededRandom(42), seededRandom(42)];
    const draws = Array.from({ length: 5 }, () => first());
    expect(Array.from({ length: 5 }, () => second())).toEqual(draws);
    expect(new Set(draws).size).toBe(5);
  });
});
