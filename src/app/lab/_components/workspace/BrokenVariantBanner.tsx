import { strategyLabels } from "~/lib/lab";
import { formatLatency, type LabSettings } from "./settings";

export function BrokenVariantBanner({ settings }: { settings: LabSettings }) {
  const problems: string[] = [];
  if (settings.strategy !== "fixed" && strategyLabels[settings.strategy].broken) {
    const { label, summary } = strategyLabels[settings.strategy];
    problems.push(
      `the welcome reset uses “${label}”: it ${summary}, so a double-click or a second tab can delete a scene you generated`,
    );
  }
  if (settings.chat === "naive") {
    problems.push(
      "the chat panel renders an optimistic copy next to the server's list, so your message shows twice while a scene is generating",
    );
  }
  if (problems.length === 0) return null;
  const latency = settings.strategy !== "fixed" && settings.latency?.length ? settings.latency : undefined;

  return (
    <div
      role="note"
      data-testid="lab-banner"
      className="mt-4 rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900"
    >
      <p>
        <strong className="font-semibold">Race Lab: broken variant active</strong> — {problems.join("; and ")}.
        These are the bugs the app exists to fix; pick “Fixed” above to compare.
      </p>
      {latency && (
        <p className="mt-1">
          Controlled latency: this tab&apos;s sends wait {formatLatency(latency)} for the model, in turn, so a
          double-click applies the first request well before the second.
        </p>
      )}
    </div>
  );
}
