// What still starts a pipeline on a push without Stageboard. A pipeline released only once a commit's GitHub
// checks pass must have none of these, or it also runs commits whose checks have not passed (and runs the
// passing ones twice). Read from the stored declaration, by AWS's documented defaults:
// - V2 `triggers` ("Automate starting pipelines using triggers and filtering", userguide/pipelines-triggers;
//   triggers exist for CodeStarSourceConnection sources only): a push filter starts the pipeline on matching
//   pushes, a pull request filter on pull request events, and a trigger without filters on any push to the
//   action's branch. "When a trigger configuration is specified, default change detection for repository and
//   branch commits is disabled" (API Reference, PipelineDeclaration.triggers): a V2 pipeline with triggers
//   ignores its sources' DetectChanges.
// - Otherwise a connection source's `DetectChanges` starts it on each push to its branch; "If unspecified, the
//   default value is true" (action-reference-CodestarConnectionSource).
// - GitHub (version 1) and CodeCommit sources poll unless `PollForSourceChanges` is "false": "If you omit
//   PollForSourceChanges, CodePipeline defaults to polling your repository for source changes"
//   (action-reference-GitHub, action-reference-CodeCommit). What they are meant to use instead lives outside the
//   declaration: a GitHub (version 1) source's webhook (ListWebhooks) and a CodeCommit source's EventBridge rule.
//   Stageboard cannot see either, so each such source is listed with `seen: false`, saying where to look.
import {
  flagOn,
  isCodeCommit,
  isConnection,
  isGitHubV1,
  readDeclaration,
  type DeclaredSource,
  type DeclaredTrigger,
} from "./declaration-sources";

export type OwnTriggerKind =
  "push-trigger" | "pull-request-trigger" | "change-detection" | "polling" | "webhook" | "eventbridge-rule";

export interface OwnTrigger {
  kind: OwnTriggerKind;
  sourceActionName: string;
  description: string;
  /** false: the declaration cannot show whether it exists (a webhook, an EventBridge rule); check in AWS. */
  seen: boolean;
}

export interface OwnTriggersPipeline {
  pipelineType: string | null;
  /** The stored declaration of the pipeline's current version (PipelineDefinition.definition). */
  definition: unknown;
}

const branchOf = (s: DeclaredSource): string | null => s.configuration.BranchName ?? s.configuration.Branch ?? null;
const onBranch = (s: DeclaredSource): string => {
  const branch = branchOf(s);
  return branch ? `its ${branch} branch` : "its branch";
};
const quoted = (patterns: string[]) => patterns.map((p) => `"${p}"`).join(", ");

function whichPushes(t: DeclaredTrigger): string {
  const parts = [
    t.pushBranches.length > 0 ? `branches ${quoted(t.pushBranches)}` : null,
    t.pushTags.length > 0 ? `tags ${quoted(t.pushTags)}` : null,
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? `pushes to ${parts.join(" or ")}` : "the pushes its filters match";
}

function fromTrigger(t: DeclaredTrigger, source: DeclaredSource | undefined): OwnTrigger[] {
  const out: OwnTrigger[] = [];
  const name = t.sourceActionName;
  if (t.pushFilters > 0)
    out.push({
      kind: "push-trigger",
      sourceActionName: name,
      description: `Its V2 trigger on source action ${name} starts it on ${whichPushes(t)}.`,
      seen: true,
    });
  if (t.pullRequestFilters > 0)
    out.push({
      kind: "pull-request-trigger",
      sourceActionName: name,
      description: `Its V2 trigger on source action ${name} starts it when pull requests are opened, updated or closed, as its filters say.`,
      seen: true,
    });
  if (t.pushFilters === 0 && t.pullRequestFilters === 0)
    out.push({
      kind: "push-trigger",
      sourceActionName: name,
      description: `Its V2 trigger on source action ${name} has no filter, so it starts it on every push to ${source ? onBranch(source) : "the action's branch"}.`,
      seen: true,
    });
  return out;
}

function fromSource(s: DeclaredSource, triggersDeclared: boolean): OwnTrigger[] {
  if (isConnection(s)) {
    // Declared triggers replace the connection's own change detection.
    if (triggersDeclared || !flagOn(s.configuration, "DetectChanges")) return [];
    return [
      {
        kind: "change-detection",
        sourceActionName: s.name,
        description: `Source action ${s.name} starts it on every push to ${onBranch(s)} (DetectChanges is true unless set to "false").`,
        seen: true,
      },
    ];
  }
  const polling: OwnTrigger[] = flagOn(s.configuration, "PollForSourceChanges")
    ? [
        {
          kind: "polling",
          sourceActionName: s.name,
          description: `Source action ${s.name} polls ${onBranch(s)} and starts it on each new commit (PollForSourceChanges is true unless set to "false").`,
          seen: true,
        },
      ]
    : [];
  if (isGitHubV1(s))
    return [
      ...polling,
      {
        kind: "webhook",
        sourceActionName: s.name,
        description: `A webhook for source action ${s.name} may start it on each push: webhooks are not part of the declaration, so Stageboard cannot see one (aws codepipeline list-webhooks shows them).`,
        seen: false,
      },
    ];
  if (isCodeCommit(s))
    return [
      ...polling,
      {
        kind: "eventbridge-rule",
        sourceActionName: s.name,
        description: `An EventBridge rule on source action ${s.name}'s repository may start it on each push: rules are not part of the declaration, so Stageboard cannot see one (aws events list-rule-names-by-target with the pipeline's ARN shows them).`,
        seen: false,
      },
    ];
  return [];
}

/** Every trigger the pipeline still has that starts it on a push (or pull request) without Stageboard. */
export function ownTriggers(pipeline: OwnTriggersPipeline): OwnTrigger[] {
  const decl = readDeclaration(pipeline.definition, pipeline.pipelineType);
  // V1 pipelines have no triggers; a V1 declaration that carried some would not be one.
  const triggers = decl.pipelineType === "V2" ? decl.triggers : [];
  return [
    ...triggers.flatMap((t) =>
      fromTrigger(
        t,
        decl.sources.find((s) => s.name === t.sourceActionName),
      ),
    ),
    ...decl.sources.flatMap((s) => fromSource(s, triggers.length > 0)),
  ];
}

/**
 * How to make Stageboard a pipeline's only trigger, for the pipeline's settings and README.md ("Releasing only
 * after GitHub's checks pass: turning off the pipeline's own trigger"), which repeats it.
 */
export const TURN_OFF_OWN_TRIGGERS_MARKDOWN = `A pipeline that Stageboard releases once a commit's GitHub checks pass must not also start itself on a push, or it
runs commits whose checks have not passed (and the passing ones twice). Edit its declaration
(\`aws codepipeline get-pipeline --name <pipeline> > pipeline.json\`, change \`pipeline\`, drop \`metadata\`, then
\`aws codepipeline update-pipeline --cli-input-json file://pipeline.json\`):

- **V2 triggers**: remove the \`triggers\` entries (their \`push\` and \`pullRequest\` filters start the pipeline), and
  set \`DetectChanges\` to \`"false"\` on the connection source as well: triggers turn a connection's own change
  detection off only while they exist.
- **Connection sources** (\`CodeStarSourceConnection\`): set \`DetectChanges\` to \`"false"\` in the action's
  configuration; left out, it is \`true\` (in the CDK, \`triggerOnPush: false\`).
- **GitHub (version 1) sources**: set \`PollForSourceChanges\` to \`"false"\` (left out, it polls), and remove the
  source's webhook (\`aws codepipeline list-webhooks\`, \`deregister-webhook-with-third-party --webhook-name <name>\`,
  \`delete-webhook --name <name>\`; in the CDK, \`trigger: GitHubTrigger.NONE\`). Such a source cannot be started at a
  chosen commit at all: move it to a connection source.
- **CodeCommit sources**: set \`PollForSourceChanges\` to \`"false"\`, and disable the EventBridge rule that starts
  the pipeline (\`aws events list-rule-names-by-target --target-arn <pipeline ARN>\`, then
  \`aws events disable-rule --name <rule>\`; in the CDK, \`trigger: CodeCommitTrigger.NONE\`).

Webhooks and EventBridge rules are not part of the declaration, so Stageboard cannot see them: it lists every
GitHub (version 1) and CodeCommit source as possibly having one. Starting the pipeline by hand (**Release change**)
and Stageboard's own starts keep working.`;
