/** Race Lab names shared by the lab router and the lab workspace's switcher (src/app/lab/_components/workspace/). */
export const welcomeResetStrategyNames = [
  "naive",
  "transaction-only",
  "locked",
  "compare-and-set",
  "single-statement",
  "lock-across-model-call",
] as const;
export type WelcomeResetStrategy = (typeof welcomeResetStrategyNames)[number];

export const strategyLabels: Record<WelcomeResetStrategy, { label: string; broken: boolean; summary: string }> = {
  naive: { label: "naive", broken: true, summary: "reads the project at request start, resets with separate awaits" },
  "transaction-only": {
    label: "transaction only",
    broken: true,
    summary: "wraps the writes in a transaction but decides from an unlocked read",
  },
  locked: { label: "locked (the fix)", broken: false, summary: "decides from the row locked with SELECT … FOR UPDATE" },
  "compare-and-set": {
    label: "compare-and-set",
    broken: false,
    summary: "UPDATE … WHERE is_welcome RETURNING decides who resets",
  },
  "single-statement": {
    label: "single statement (no transaction)",
    broken: false,
    summary: "one WITH … statement, no BEGIN: locks project and reply, appends unless the order is taken, then resets and replies",
  },
  "lock-across-model-call": {
    label: "locked across the model call (slow)",
    broken: true,
    summary: "correct, but holds the row lock through the model call, so a project's generations queue",
  },
};

export const chatPanelVariants = ["fixed", "naive"] as const;
export type ChatPanelVariant = (typeof chatPanelVariants)[number];
