// corpus: typed-only
// A browser-side cache that happens to be called `db`: its type says it is no Drizzle
// handle, so its `delete` is not a database write (without types, the name would decide).
class DraftCache {
  private readonly drafts = new Map<string, string>();
  update(id: string, text: string) {
    this.drafts.set(id, text);
  }
  delete(id: string) {
    this.drafts.delete(id);
  }
}

const db = new DraftCache();

export function discardDraft(id: string) {
  db.delete(id);
  db.update(`${id}:last`, "");
}
