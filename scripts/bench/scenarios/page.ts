/**
 * The workspace page as shipped (server B, the lab off): first-load JS as a browser
 * fetches it (every `<script src>` in the HTML, gzipped here) and time to first byte, with a
 * cross-check from the build manifests.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

import type { NextServer } from "../../lib/next-app";
import { median } from "../../lib/stats";
import { createProject, fixedFlow, newUser } from "../calls";

export const PAGE = { samples: 15, warmUp: 3 };

export async function pageMetrics(b: NextServer) {
  const user = newUser(b);
  const projectId = await createProject(user, "Page bench");
  await Promise.all([0, 1, 2].map((index) => fixedFlow(user, projectId, index)));
  const page = `/projects/${projectId}/generate`;
  for (let i = 0; i < PAGE.warmUp; i++) await user.get(page);
  const samples: { ttfb: number; total: number }[] = [];
  let html = "";
  for (let i = 0; i < PAGE.samples; i++) {
    const response = await user.get(page);
    if (response.status !== 200) throw new Error(`GET ${page} answered ${response.status}`);
    samples.push({ ttfb: response.ttfbMs, total: response.ms });
    html = response.body.toString("utf8");
  }

  // First-load JS as a browser gets it: every <script src> in the HTML (not nomodule).
  const scripts = [...html.matchAll(/<script\b([^>]*)>/g)]
    .map((match) => match[1] ?? "")
    .filter((attributes) => !/\bnomodule\b/i.test(attributes))
    .map((attributes) => /\bsrc="([^"]+)"/.exec(attributes)?.[1])
    .filter((src): src is string => Boolean(src));
  const unique = [...new Set(scripts)];
  let raw = 0;
  let gzip = 0;
  for (const src of unique) {
    const response = await user.get(src.replaceAll("&amp;", "&"));
    if (response.status !== 200) throw new Error(`GET ${src} answered ${response.status}`);
    raw += response.body.length;
    gzip += gzipSync(response.body).length;
  }
  return {
    page: "/projects/[id]/generate",
    ttfb: median(samples.map((s) => s.ttfb)),
    total: median(samples.map((s) => s.total)),
    htmlBytes: Buffer.byteLength(html),
    htmlGzip: gzipSync(Buffer.from(html)).length,
    chunks: unique.length,
    raw,
    gzip,
    manifest: manifestFirstLoad(),
  };
}

export type PageResult = Awaited<ReturnType<typeof pageMetrics>>;

/** Cross-check from the build manifests: root main files + the layout's and the page's entry chunks. */
function manifestFirstLoad() {
  try {
    const build = JSON.parse(readFileSync(path.join(".next", "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
    const manifestFile = path.join(".next", "server", "app", "projects", "[id]", "generate", "page_client-reference-manifest.js");
    const text = readFileSync(manifestFile, "utf8");
    const json = text.slice(text.indexOf("= {") + 2).replace(/;\s*$/, "");
    const manifest = JSON.parse(json) as { entryJSFiles: Record<string, string[]> };
    const entries = Object.entries(manifest.entryJSFiles)
      .filter(([key]) => key.endsWith("/src/app/layout") || key.endsWith("/src/app/projects/[id]/generate/page"))
      .flatMap(([, files]) => files);
    const files = [...new Set([...build.rootMainFiles, ...entries])];
    let raw = 0;
    let gzip = 0;
    for (const file of files) {
      const content = readFileSync(path.join(".next", file));
      raw += content.length;
      gzip += gzipSync(content).length;
    }
    return { files: files.length, raw, gzip };
  } catch (error) {
    return { files: 0, raw: 0, gzip: 0, error: String(error) };
  }
}
