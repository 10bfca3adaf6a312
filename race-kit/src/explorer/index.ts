export { describeError, explore, multinomial, parseSchedule, replay, seededRandom } from "./explore";
export { isFusable, LaneProxy } from "./proxy";
export { withApplicationName } from "./wire";
export { describeBreaking, formatReport, summaryLine } from "./report";
export type * from "./types";
