/** Slow work outside the database that the corpus's request handlers call. */
export declare function sendEmail(to: string, template: string, data?: Record<string, unknown>): Promise<void>;
export declare function chargeCard(userId: string, amount: number, idempotencyKey: string): Promise<{ id: string }>;
export declare function callModel(prompt: string): Promise<{ text: string }>;
export declare function renderThumbnail(projectId: string): Promise<string>;
export declare function runJob(kind: string, payload: unknown): Promise<unknown>;
export declare function uploadFile(name: string, body: Blob): Promise<{ url: string }>;
export declare const logger: { error(message: string, error?: unknown): void; info(message: string): void };
export declare function after(task: () => unknown): void;
export declare function revalidatePath(path: string): void;
