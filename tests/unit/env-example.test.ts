/**
 * `.env.example` names every variable the README's configuration table lists, and nothing
 * else, each with the README's default where it has a plain one: the two cannot drift.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const readme = readFileSync(path.join(root, "README.md"), "utf8");
const example = readFileSync(path.join(root, ".env.example"), "utf8");

/** `| `NAME` | default | meaning |` rows (a row may name two variables). */
const documented = new Map(
  [...readme.matchAll(/^\| ((?:`[A-Z0-9_]+`(?:, )?)+) \| ([^|]*) \|/gm)].flatMap((row) => {
    const names = [...(row[1] ?? "").matchAll(/`([A-Z0-9_]+)`/g)].map((match) => match[1] ?? "");
    const defaults = (row[2] ?? "").split(",").map((value) => value.trim());
    return names.map((name, index): [string, string] => [name, names.length > 1 ? (defaults[index] ?? "") : (defaults[0] ?? "")]);
  }),
);
const listed = new Map(
  [...example.matchAll(/^#? ?([A-Z0-9_]+)=(.*)$/gm)].map((match): [string, string] => [match[1] ?? "", (match[2] ?? "").trim()]),
);

describe(".env.example", () => {
  it("lists every variable of the README's table, and only those", () => {
    expect(documented.size).toBeGreaterThan(15);
    expect([...listed.keys()].sort()).toEqual([...documented.keys()].sort());
  });

  it("gives the README's default wherever that default is a plain value", () => {
    for (const [name, value] of listed) {
      const readmeDefault = /^`([^`]+)`$/.exec(documented.get(name) ?? "")?.[1];
      if (readmeDefault && value !== "") expect(value, name).toBe(readmeDefault);
    }
  });
});
