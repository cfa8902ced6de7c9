// What AWS added to CodePipeline's API after the aws-sdk v2 package's model froze, written in that
// model's own format (a shape with no type is a string). The sandbox sends some of these members
// (retryStageMetadata, retryConfiguration, outputVariables...), so without them the package model
// would call them unknown. package-model.model-test.ts proves that the package model with these
// additions has exactly botocore's members, types and required members, so this list cannot drift.

export interface PackageShape {
  readonly type?: string;
  /** A shared shape of the package model, by its id ("S5j"). */
  readonly shape?: string;
  readonly members?: Readonly<Record<string, PackageShape>>;
  readonly required?: readonly string[];
  readonly member?: PackageShape;
  readonly key?: PackageShape;
  readonly value?: PackageShape;
}

const strings: PackageShape = { type: "list", member: {} };

/** Members by structure name (botocore's), each with its shape. */
export const MEMBERS_ADDED_SINCE_PACKAGE_MODEL: Readonly<Record<string, Readonly<Record<string, PackageShape>>>> = {
  ActionDeclaration: {
    commands: strings,
    outputVariables: strings,
    environmentVariables: {
      type: "list",
      member: { type: "structure", required: ["name", "value"], members: { name: {}, value: {}, type: {} } },
    },
  },
  OutputArtifact: { files: strings },
  FailureConditions: { retryConfiguration: { type: "structure", members: { retryMode: {} } } },
  RuleDeclaration: { commands: strings },
  StageState: {
    retryStageMetadata: {
      type: "structure",
      members: {
        autoStageRetryAttempt: { type: "integer" },
        manualStageRetryAttempt: { type: "integer" },
        latestRetryTrigger: {},
      },
    },
  },
  ActionExecution: { logStreamARN: {} },
  ActionExecutionResult: { logStreamARN: {} },
};

/** Operations the package model lacks altogether; the sandbox serves none of them. */
export const OPERATIONS_ADDED_SINCE_PACKAGE_MODEL: readonly string[] = ["ListDeployActionExecutionTargets"];
