/**
 * How scenario 5 turns two recorded runs of the services into a replay (scripts/bench/sql/):
 * a parameter the same in both runs is a constant, one equal to a named input is that
 * input, one found in an earlier statement's answer (plus a small offset) comes from it;
 * runs that sent different statements are refused. And the statement names the doc uses.
 */
import { describe, expect, it } from "vitest";

import { describeStatement, groupByTransaction, isWrite } from "../../scripts/bench/sql/describe";
import { templateOf, unexplainedParameters, type Recording } from "../../scripts/bench/sql/template";

const statement = (text: string, parameters: unknown[], rows: unknown[][] = []) => ({ connection: 1, text, parameters, rows });

/** A claim-like run: read the next sequence, insert a message at it and its reply at it + 1, then use the reply's id. */
function run(projectId: string, requestId: string, next: number, replyId: string, lockTimeout: string): Recording {
  return {
    inputs: { projectId, requestId },
    statements: [
      statement("begin", []),
      statement("select set_config('lock_timeout', $1, true)", [lockTimeout]),
      statement('select coalesce(max("sequence"), -1) + 1 from "messages" where "project_id" = $1', [projectId], [[next]]),
      statement('insert into "messages" ("project_id", "request_id", "sequence", "role") values ($1, $2, $3, $4) returning "id", "sequence"', [projectId, requestId, next, "user"], [["u-" + requestId, next]]),
      statement('insert into "messages" ("project_id", "sequence", "role") values ($1, $2, $3) returning "id"', [projectId, next + 1, "assistant"], [[replyId]]),
      statement("commit", []),
      statement('update "messages" set "status" = $1 where "id" = $2', ["building", replyId]),
    ],
  };
}

describe("the replay template", () => {
  it("finds a value inside a JSON object an earlier statement answered (a `to_jsonb(row)` column)", () => {
    const jsonRun = (projectId: string, replyId: string): Recording => ({
      inputs: { projectId },
      statements: [
        statement("with reply as (insert … returning *) select to_jsonb(reply) from reply", [projectId], [[{ id: replyId, sequence: 1 }]]),
        statement('update "messages" set "status" = $1 where "id" = $2', ["building", replyId]),
      ],
    });
    const { statements } = templateOf(jsonRun("p1", "m1"), jsonRun("p2", "m2"));
    expect(statements[1]?.parameters[1]).toEqual({ kind: "result", statement: 0, row: 0, column: 0, field: "id", offset: 0, recorded: "m1" });
  });

  const template = templateOf(run("p1", "r1", 4, "m1", "5000ms"), run("p2", "r2", 10, "m2", "4999ms"));

  it("tells constants, inputs and returned values apart", () => {
    const sources = template.statements.map((s) => s.parameters);
    expect(sources[1]).toEqual([{ kind: "unexplained", value: "5000ms" }]);
    expect(sources[2]).toEqual([{ kind: "input", name: "projectId" }]);
    expect(sources[3]).toEqual([
      { kind: "input", name: "projectId" },
      { kind: "input", name: "requestId" },
      { kind: "result", statement: 2, row: 0, column: 0, offset: 0, recorded: 4 },
      { kind: "constant", value: "user" },
    ]);
    expect(sources[4]?.[1]).toMatchObject({ kind: "result", offset: 1, recorded: 5 });
    expect(sources[6]).toEqual([
      { kind: "constant", value: "building" },
      { kind: "result", statement: 4, row: 0, column: 0, offset: 0, recorded: "m1" },
    ]);
    expect(template.inputs).toEqual(["projectId", "requestId"]);
    expect(unexplainedParameters(template)).toEqual(["#2 $1"]);
  });

  it("refuses two runs that sent different statements", () => {
    const shorter = run("p2", "r2", 10, "m2", "5000ms");
    shorter.statements.pop();
    expect(() => templateOf(run("p1", "r1", 4, "m1", "5000ms"), shorter)).toThrow(/different statements \(7 and 6/);
  });

  it("names statements from their text, and groups transactions", () => {
    const texts = template.statements.map((s) => s.text);
    expect(texts.map(describeStatement)).toEqual([
      "BEGIN",
      "set_config('lock_timeout')",
      "SELECT messages",
      "INSERT messages",
      "INSERT messages",
      "COMMIT",
      "UPDATE messages",
    ]);
    expect(describeStatement('select "id" from "projects" where "id" = $1 for update')).toBe("SELECT projects FOR UPDATE");
    expect(describeStatement('with moved as (update "scenes" set "order" = 1) insert into "messages" select 1')).toBe("WITH … UPDATE scenes, INSERT messages");
    expect(groupByTransaction(texts)).toEqual([["BEGIN", "set_config('lock_timeout')", "SELECT messages", "INSERT messages", "INSERT messages", "COMMIT"], ["UPDATE messages"]]);
    expect(texts.filter(isWrite)).toHaveLength(3);
  });
});
