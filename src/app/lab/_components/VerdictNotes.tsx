/** The notes under a race verdict (why a run is not clean, what the schedule could not do). */
export function VerdictNotes({ notes }: { notes: string[] }) {
  if (notes.length === 0) return null;
  return (
    <ul className="mt-1 list-disc pl-5 text-xs">
      {notes.map((note) => (
        <li key={note}>{note}</li>
      ))}
    </ul>
  );
}
