/**
 * The per-stage AWS profile selector for `sst.config.ts`, as text: the expression and the snippet
 * to paste. Kept apart from the editor (`sstConfig.ts`), which needs magicast's parser: printing a
 * snippet for a project without an sst.config.ts should not load a parser (~250 ms).
 * See `sstConfig.ts` for why the selector yields no profile under CI.
 */
export interface ProfileSelectorOptions {
  /** Organization short name: profiles are `<org>-<stage>`. */
  org: string;
  /** Stages in order; `dev` (or else the first) is the fallback for stages not listed. */
  stages: string[];
  /** Force a version instead of detecting it from the file's shape. */
  version?: 2 | 3;
}

export function profileNameFor(org: string, stage: string): string {
  return `${org}-${stage}`;
}

function fallbackStage(stages: string[]): string {
  return stages.includes("dev") ? "dev" : stages[0];
}

/** The selector expression; `stageRef` is how the stage is read (`input?.stage`, or `stage`). */
export function profileSelectorExpression(options: Pick<ProfileSelectorOptions, "org" | "stages">, stageRef = "input?.stage"): string {
  const stages = [...new Set(options.stages)];
  if (stages.length === 0) throw new Error("profileSelectorExpression needs at least one stage");
  const fallback = fallbackStage(stages);
  const others = stages.filter((s) => s !== fallback);
  const dev = JSON.stringify(profileNameFor(options.org, fallback));
  let select: string;
  if (others.length === 0) select = dev;
  else if (others.length === 1) {
    select = `${stageRef} === ${JSON.stringify(others[0])} ? ${JSON.stringify(profileNameFor(options.org, others[0]))} : ${dev}`;
  } else {
    // A Map, not an object literal: `({ … })[stage]` also finds what every object inherits, so
    // `--stage constructor`, `toString` or `__proto__` chose a function or an object as the
    // profile. `Map.prototype.get` only sees the entries listed (docs/security.md).
    const entries = others.map((s) => `[${JSON.stringify(s)}, ${JSON.stringify(profileNameFor(options.org, s))}]`).join(", ");
    select = `new Map([${entries}]).get(${stageRef} ?? "") ?? ${dev}`;
  }
  return `process.env.CI || process.env.GITHUB_ACTIONS ? undefined : ${select}`;
}

export function profileSelectorSnippet(options: ProfileSelectorOptions): string {
  const expr = profileSelectorExpression(options);
  if (options.version === 2) {
    return ["// sst.config.ts (SST v2): in config(input) { return { … } }", "// Under CI (CI, GITHUB_ACTIONS): no profile, the pipeline's own credentials.", `profile: ${expr},`].join("\n");
  }
  return [
    "// sst.config.ts (SST v3 and v4): in app(input) { return { … } }",
    "// Under CI (CI, GITHUB_ACTIONS): no profile, the pipeline's own credentials; SST_AWS_NO_PROFILE=1 also makes SST drop it.",
    "providers: {",
    "  aws: {",
    `    profile: ${expr},`,
    "  },",
    "},",
  ].join("\n");
}
