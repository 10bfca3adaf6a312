/**
 * The SQL scenario 5 replays, captured from the app's real services instead of copied by
 * hand: `generateScene` (the fixed flow, a zero-latency model call) run twice through a
 * recording handle (./recording.ts), on two projects with different histories, so that
 * ./template.ts can tell inputs and returned ids from constants; and the Race Lab's
 * `naive` and `locked` requests once each, for the statement counts of scenario 1. Each
 * runs on a project that has had a generation already (no welcome reset), like most
 * generations of a load.
 */
import { randomUUID } from "node:crypto";

import { openDatabase, type Database } from "~/server/db";
import { generateWithStrategy } from "~/server/lab/generate-with-strategy";
import { simulatedModelCall } from "~/server/services/brain/model";
import { generateScene } from "~/server/services/generation/generate-scene";
import { createWelcomeProject } from "~/server/services/projects";
import { recordingDatabase, type RecordedStatement } from "./recording";
import { templateOf, unexplainedParameters, type Recording, type StatementTemplate } from "./template";

export const CAPTURE_PROMPT = "Bench scene";
const zeroLatency = simulatedModelCall(0);

export interface Captured {
  /** The fixed flow's statements, as the first recorded run sent them. */
  generation: RecordedStatement[];
  template: StatementTemplate;
  /** Parameters that changed between the runs but could not be traced (replayed as recorded). */
  unexplained: string[];
  /** Index of the generation's last BEGIN: from there to the end is the apply step. */
  applyFrom: number;
  lab: { naive: RecordedStatement[]; locked: RecordedStatement[] };
}

/** A new user's new project, past `generations` generations (one or more: past its welcome reset). */
export async function projectWithHistory(db: Database, generations: number) {
  const userId = randomUUID();
  const { id: projectId } = await createWelcomeProject(db, userId, "Bench · captured SQL");
  for (let index = 0; index < generations; index++) {
    await generateScene(db, { userId, projectId, prompt: `Before ${index}`, requestId: randomUUID() }, { modelCall: zeroLatency });
  }
  return { userId, projectId };
}

/** The index of the last statement that opens a transaction. */
export function lastTransactionStart(statements: readonly { text: string }[]) {
  for (let index = statements.length - 1; index >= 0; index--) if (/^\s*begin\b/i.test(statements[index]?.text ?? "")) return index;
  return -1;
}

export async function captureStatements(url: string): Promise<Captured> {
  const app = openDatabase(url);
  // One connection, opened and warmed up before anything is recorded: postgres.js's own
  // first statement (its array-type lookup) is the driver's, not the app's. A generation is
  // sequential, so one connection sends the same statements a pool would.
  const recorder = recordingDatabase(url, { max: 1 });
  try {
    const warmUp = await projectWithHistory(app.db, 0);
    await generateScene(recorder.db, { ...warmUp, prompt: CAPTURE_PROMPT, requestId: randomUUID() }, { modelCall: zeroLatency });
    const recordGeneration = async (history: number): Promise<Recording> => {
      const project = await projectWithHistory(app.db, history);
      const inputs = { ...project, requestId: randomUUID() };
      recorder.take();
      const result = await generateScene(recorder.db, { ...inputs, prompt: CAPTURE_PROMPT }, { modelCall: zeroLatency });
      if (result.assistantMessage.status !== "success") throw new Error(`the captured generation ended ${result.assistantMessage.status}`);
      return { statements: recorder.take(), inputs };
    };
    const first = await recordGeneration(1);
    const second = await recordGeneration(3);
    const template = templateOf(first, second);

    const recordLab = async (strategy: "naive" | "locked") => {
      const project = await projectWithHistory(app.db, 1);
      recorder.take();
      await generateWithStrategy(recorder.db, { ...project, prompt: CAPTURE_PROMPT, strategy }, zeroLatency);
      return recorder.take();
    };
    const lab = { naive: await recordLab("naive"), locked: await recordLab("locked") };
    return {
      generation: first.statements,
      template,
      unexplained: unexplainedParameters(template),
      applyFrom: lastTransactionStart(first.statements),
      lab,
    };
  } finally {
    await Promise.all([recorder.close(), app.close()]);
  }
}
