import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ownTriggers, TURN_OFF_OWN_TRIGGERS_MARKDOWN, type OwnTriggerKind } from "./own-triggers";
import {
  codeCommitSource,
  connectionSource,
  declaration,
  gitHubV1Source,
  pullRequestTrigger,
  pushTrigger,
  s3Source,
} from "./testing/declarations";

type Row = { kind: OwnTriggerKind; sourceActionName: string; seen: boolean };

const cases: { name: string; type: "V1" | "V2"; definition: unknown; expected: Row[] }[] = [
  {
    name: "a connection source detects changes by default",
    type: "V2",
    definition: declaration({ sources: [connectionSource("Source", "acme/web-app")] }),
    expected: [{ kind: "change-detection", sourceActionName: "Source", seen: true }],
  },
  {
    name: 'DetectChanges "true" detects changes too, on a V1 pipeline as on a V2 one',
    type: "V1",
    definition: declaration({
      type: "V1",
      sources: [connectionSource("Source", "acme/web-app", { DetectChanges: "true" })],
    }),
    expected: [{ kind: "change-detection", sourceActionName: "Source", seen: true }],
  },
  {
    name: 'DetectChanges "false" (any case) leaves Stageboard the only trigger',
    type: "V2",
    definition: declaration({ sources: [connectionSource("Source", "acme/web-app", { DetectChanges: "FALSE" })] }),
    expected: [],
  },
  {
    name: "V2 triggers replace the connection's change detection: push and pull request filters each start it",
    type: "V2",
    definition: declaration({
      sources: [connectionSource("Source", "acme/web-app", { DetectChanges: "true" })],
      triggers: [pushTrigger("Source"), pullRequestTrigger("Source")],
    }),
    expected: [
      { kind: "push-trigger", sourceActionName: "Source", seen: true },
      { kind: "pull-request-trigger", sourceActionName: "Source", seen: true },
    ],
  },
  {
    name: "a trigger without filters starts it on every push to the action's branch",
    type: "V2",
    definition: declaration({
      sources: [connectionSource("Source", "acme/web-app", { DetectChanges: "false" })],
      triggers: [{ providerType: "CodeStarSourceConnection", gitConfiguration: { sourceActionName: "Source" } }],
    }),
    expected: [{ kind: "push-trigger", sourceActionName: "Source", seen: true }],
  },
  {
    name: "a GitHub (version 1) source polls by default, and may have a webhook Stageboard cannot see",
    type: "V1",
    definition: declaration({ type: "V1", sources: [gitHubV1Source("Source", "acme", "api")] }),
    expected: [
      { kind: "polling", sourceActionName: "Source", seen: true },
      { kind: "webhook", sourceActionName: "Source", seen: false },
    ],
  },
  {
    name: 'a GitHub (version 1) source with PollForSourceChanges "false" may still have its webhook',
    type: "V1",
    definition: declaration({
      type: "V1",
      sources: [gitHubV1Source("Source", "acme", "api", { PollForSourceChanges: "false" })],
    }),
    expected: [{ kind: "webhook", sourceActionName: "Source", seen: false }],
  },
  {
    name: "a CodeCommit source polls by default, and may have an EventBridge rule Stageboard cannot see",
    type: "V2",
    definition: declaration({ sources: [codeCommitSource("Source", "MyWebsite", { PollForSourceChanges: "true" })] }),
    expected: [
      { kind: "polling", sourceActionName: "Source", seen: true },
      { kind: "eventbridge-rule", sourceActionName: "Source", seen: false },
    ],
  },
  {
    name: 'a CodeCommit source with PollForSourceChanges "false" (the action reference sample) keeps its rule',
    type: "V2",
    definition: declaration({ sources: [codeCommitSource("source", "MyWebsite", { PollForSourceChanges: "false" })] }),
    expected: [{ kind: "eventbridge-rule", sourceActionName: "source", seen: false }],
  },
  {
    name: "every source counts: a second repository's connection and an S3 drop beside them",
    type: "V2",
    definition: declaration({
      sources: [
        connectionSource("App", "acme/web-app", { DetectChanges: "false" }),
        connectionSource("Config", "acme/deploy-config"),
        s3Source("Assets"),
      ],
    }),
    expected: [{ kind: "change-detection", sourceActionName: "Config", seen: true }],
  },
  {
    name: "triggers in a declaration of a V1 pipeline are not read (V1 has none); its sources are",
    type: "V1",
    definition: declaration({
      type: "V1",
      sources: [connectionSource("Source", "acme/web-app")],
      triggers: [pushTrigger("Source")],
    }),
    expected: [{ kind: "change-detection", sourceActionName: "Source", seen: true }],
  },
  {
    name: "a declaration not read yet shows nothing",
    type: "V2",
    definition: null,
    expected: [],
  },
];

describe("ownTriggers", () => {
  it.each(cases)("$name", ({ type, definition, expected }) => {
    const rows = ownTriggers({ pipelineType: type, definition }).map(({ kind, sourceActionName, seen }) => ({
      kind,
      sourceActionName,
      seen,
    }));
    expect(rows).toEqual(expected);
  });

  it("says which pushes start it, in product words", () => {
    const definition = declaration({
      sources: [connectionSource("Source", "acme/web-app")],
      triggers: [
        pushTrigger("Source", [{ branches: { includes: ["main", "release/*"] } }, { tags: { includes: ["v*"] } }]),
      ],
    });
    expect(ownTriggers({ pipelineType: "V2", definition }).map((t) => t.description)).toEqual([
      'Its V2 trigger on source action Source starts it on pushes to branches "main", "release/*" or tags "v*".',
    ]);
    const polling = ownTriggers({
      pipelineType: "V1",
      definition: declaration({ type: "V1", sources: [gitHubV1Source("Checkout", "acme", "api")] }),
    });
    expect(polling[0]?.description).toBe(
      'Source action Checkout polls its main branch and starts it on each new commit (PollForSourceChanges is true unless set to "false").',
    );
    expect(polling[1]?.description).toContain("Stageboard cannot see one (aws codepipeline list-webhooks shows them)");
  });
});

describe("TURN_OFF_OWN_TRIGGERS_MARKDOWN", () => {
  it("covers each kind of trigger with the setting that turns it off", () => {
    for (const setting of [
      "`triggers`",
      '`DetectChanges` to `"false"`',
      '`PollForSourceChanges` to `"false"`',
      "delete-webhook",
      "disable-rule",
    ])
      expect(TURN_OFF_OWN_TRIGGERS_MARKDOWN).toContain(setting);
  });

  it("is what README.md says under its heading", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const heading = "### Releasing only after GitHub's checks pass: turning off the pipeline's own trigger\n\n";
    const start = readme.indexOf(heading);
    expect(start).toBeGreaterThan(-1);
    const body = readme.slice(start + heading.length);
    expect(body.slice(0, body.indexOf("\n\n### ")).trim()).toBe(TURN_OFF_OWN_TRIGGERS_MARKDOWN);
  });
});
