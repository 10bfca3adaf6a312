/**
 * race-kit: tools for testing race conditions against a real PostgreSQL. No import
 * from the app that hosts it and none of a test runner, so tests, scripts and a
 * running server can all use it. See race-kit/README.md.
 */
export * from "./deferred";
export * from "./gate";
export * from "./lock-monitor";
export * from "./lock-waits";
export * from "./schedules";
export * from "./explorer/index";
