import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { isRaceLabEnabled } from "~/env";
import { RaceLab } from "./_components/RaceLab";

export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Race Lab · Race-safe video editor",
  description: "The broken and the fixed code race side by side, with every statement on a timeline.",
};

/** The Race Lab page: absent (404) unless the lab is enabled, like the lab router. */
export default function LabPage() {
  if (!isRaceLabEnabled) notFound();
  return <RaceLab />;
}
