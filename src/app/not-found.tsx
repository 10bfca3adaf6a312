import Link from "next/link";

export default function NotFound() {
  return (
    <div className="mx-auto flex w-full max-w-md flex-1 flex-col items-center justify-center px-6 py-16 text-center">
      <p className="text-sm font-semibold text-slate-500">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight">Project not found</h1>
      <p className="mt-3 text-slate-600">
        This project doesn&apos;t exist, or it belongs to someone else.
      </p>
      <Link
        href="/"
        className="mt-8 rounded-lg bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700"
      >
        Back to your projects
      </Link>
    </div>
  );
}
