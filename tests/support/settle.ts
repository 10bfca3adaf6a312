/** What `promise` settles with, its value or its error, handled from the start (never an unhandled rejection). */
export function settle(promise: PromiseLike<unknown>): Promise<unknown> {
  return Promise.resolve(promise).then(
    (value) => value,
    (error: unknown) => error,
  );
}
