import type { WelcomeResetStrategy } from "~/lib/lab";
import { planAddScene } from "~/server/services/brain/tools/add-scene";
import { applyGeneration } from "~/server/services/generation/apply";
import { applyCompareAndSet } from "./compare-and-set";
import { applyNaive } from "./naive";
import { applySingleStatement } from "./single-statement";
import { applyTransactionOnly } from "./transaction-only";
import type { LabApply } from "./types";


/** `locked` is not a copy: it is the app's own apply step. */
const applyLocked: LabApply = ({ db, userId, projectId, assistantMessageId, props }) =>
  applyGeneration(db, { userId, projectId, assistantMessageId, plan: planAddScene(props) });

/** Apply steps. `lock-across-model-call` changes the whole flow: see ../lock-across-model-call.ts. */
export const welcomeResetStrategies: Record<Exclude<WelcomeResetStrategy, "lock-across-model-call">, LabApply> = {
  naive: applyNaive,
  "transaction-only": applyTransactionOnly,
  locked: applyLocked,
  "compare-and-set": applyCompareAndSet,
  "single-statement": applySingleStatement,
};
