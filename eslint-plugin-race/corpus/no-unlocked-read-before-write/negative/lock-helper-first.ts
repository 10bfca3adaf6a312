// A lock helper runs first; the plain reads after it are serialized by that lock.
import { eq } from "drizzle-orm";

import { withTransaction, type Database, type Transaction } from "../../_support/db";
import { orders, projects } from "../../_support/schema";

async function lockProject(tx: Transaction, projectId: string) {
  const [project] = await tx.select().from(projects).where(eq(projects.id, projectId)).for("update");
  return project;
}

export function closeProject(db: Database, projectId: string) {
  return withTransaction(db, async (tx) => {
    await lockProject(tx, projectId);
    const [order] = await tx.select().from(orders).where(eq(orders.cartId, projectId));
    if (order?.status === "placed") await tx.delete(orders).where(eq(orders.id, order.id));
  });
}
