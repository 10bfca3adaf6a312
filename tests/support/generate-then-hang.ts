/**
 * Child process for the crash test: starts one generation whose model call never
 * returns, prints CLAIMED once the exchange is building, and waits to be killed.
 * argv: userId projectId requestId
 */
import { getDb } from "~/server/db";
import { generateScene } from "~/server/services/generation/generate-scene";

const [userId = "", projectId = "", requestId = ""] = process.argv.slice(2);
void generateScene(
  getDb(),
  { userId, projectId, prompt: "A red intro", requestId },
  {
    modelCall: () => {
      console.log("CLAIMED");
      return new Promise<void>(() => undefined);
    },
  },
);
