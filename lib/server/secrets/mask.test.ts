import { describe, expect, it } from "vitest";
import { mapActionExecution, mapExecutionDetail } from "@/lib/server/aws/map-execution";
import { mapPipelineDefinition } from "@/lib/server/aws/map-definition";
import { sanitizeConfiguration } from "@/lib/server/aws/sanitize";
import {
  MASKED,
  maskEntries,
  maskValue,
  nameLooksSecret,
  valueLooksSecret,
  type SecretRules,
} from "@/lib/server/secrets/mask";

const NONE: SecretRules = { patterns: [], allow: [] };

// Built from parts so that no scanner mistakes the fixtures for leaked credentials.
const GITHUB_TOKEN = ["ghp", "_", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"].join("");
const FINE_GRAINED = ["github", "_pat_", "11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz"].join("");
const AWS_KEY_ID = ["AKIA", "IOSFODNN7EXAMPLE"].join("");
const PEM = ["-----BEGIN ", "RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----"].join("");

describe("names that look secret", () => {
  it.each([
    "API_TOKEN",
    "GITHUB_TOKEN",
    "token",
    "ClientSecret",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "DB_PASSWORD",
    "dbPassword",
    "PASSWD",
    "DB_PASS",
    "MYSQL_PWD",
    "GPG_PASSPHRASE",
    "DOCKER_CREDENTIALS",
    "x-api-key",
    "apikey",
    "ApiKey",
    "STRIPE_KEY",
    "SSH_KEY",
    "DEPLOY_KEY",
    "LICENSE_KEY",
    "ENCRYPTION_KEY",
    "SIGNING_KEY",
    "PRIVATE_KEY",
    "privateKey",
    "KEY",
    "KEYS",
    "KEY_MATERIAL",
    "BASIC_AUTH",
    "Authorization",
    "SESSION_COOKIE",
    "SENTRY_DSN",
  ])("%s is masked", (name) => {
    expect(nameLooksSecret(name, NONE)).toBe(true);
  });

  it.each([
    "CACHE_KEY",
    "cacheKey",
    "PARTITION_KEY",
    "SORT_KEY",
    "PRIMARY_KEY",
    "S3_KEY",
    "S3ObjectKey",
    "OBJECT_KEY",
    "ROUTING_KEY",
    "IDEMPOTENCY_KEY",
    "PUBLIC_KEY",
    "KMS_KEY_ARN",
    "MONKEY",
    "KEYBOARD_LAYOUT",
    "ENVIRONMENT",
    "DEPLOY_TARGET",
    "IMAGE_TAG",
    "CommitId",
    "BranchName",
    "CommitMessage",
    "AUTHOR",
    "PASSED_TESTS",
  ])("%s is shown", (name) => {
    expect(nameLooksSecret(name, NONE)).toBe(false);
  });

  it("adds SECRET_NAME_PATTERNS and exempts SECRET_NAME_ALLOW, case-insensitively and on the whole name", () => {
    const rules: SecretRules = { patterns: ["*_PIN", "release_hook"], allow: ["TOKEN_BUCKET_*", "CACHE_TOKEN"] };
    expect(nameLooksSecret("CARD_PIN", rules)).toBe(true);
    expect(nameLooksSecret("Release_Hook", rules)).toBe(true);
    expect(nameLooksSecret("PINNED_VERSION", rules)).toBe(false);
    expect(nameLooksSecret("TOKEN_BUCKET_SIZE", rules)).toBe(false);
    expect(nameLooksSecret("cache_token", rules)).toBe(false);
    expect(nameLooksSecret("API_TOKEN", rules)).toBe(true);
    // A glob is a glob, not a regular expression: dots and brackets match themselves.
    expect(nameLooksSecret("AXB", { patterns: ["A.B"], allow: [] })).toBe(false);
    expect(nameLooksSecret("A.B", { patterns: ["A.B"], allow: [] })).toBe(true);
  });
});

describe("values that look secret whatever their name", () => {
  it.each([
    ["a GitHub token", GITHUB_TOKEN],
    ["a GitHub OAuth token", GITHUB_TOKEN.replace("ghp_", "gho_")],
    ["a GitHub app token", GITHUB_TOKEN.replace("ghp_", "ghs_")],
    ["a fine-grained GitHub token", FINE_GRAINED],
    ["an AWS access key id", AWS_KEY_ID],
    ["an AWS key id inside text", `aws configure set aws_access_key_id ${AWS_KEY_ID}`],
    ["a PEM private key", PEM],
    ["a URL with a password", "postgresql://app:hunter2@db.internal:5432/app"],
    ["a bearer header", "Bearer abcdefghijklmnopqrstuvwxyz012345"],
    ["a JWT", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk"],
  ])("%s is masked", (_what, value) => {
    expect(valueLooksSecret(value)).toBe(true);
    expect(maskValue("NOTES", value, NONE)).toBe(MASKED);
  });

  it.each([
    ["a commit id", "da7add70427515f20f736525be1b92bf23ff6b6f"],
    ["a region", "eu-west-1"],
    ["a URL without a password", "https://user@github.com/acme/web-app"],
    ["an ARN", "arn:aws:iam::123456789012:role/deploy"],
    ["a commit message", "Fix the token refresh on sign-in"],
    ["a ghp_ prefix that is too short to be a token", "ghp_short"],
  ])("%s is shown", (_what, value) => {
    expect(valueLooksSecret(value)).toBe(false);
    expect(maskValue("NOTES", value, NONE)).toBe(value);
  });

  it("SECRET_NAME_ALLOW does not exempt a secret-looking value", () => {
    expect(maskValue("API_TOKEN", GITHUB_TOKEN, { patterns: [], allow: ["API_TOKEN"] })).toBe(MASKED);
    expect(maskValue("API_TOKEN", "not-a-token", { patterns: [], allow: ["API_TOKEN"] })).toBe("not-a-token");
  });

  it("keeps empty and absent values as they are, and masks maps entry by entry", () => {
    expect(maskValue("API_TOKEN", null, NONE)).toBeNull();
    expect(maskValue("API_TOKEN", "", NONE)).toBe("");
    expect(maskEntries({ API_TOKEN: "abc", STAGE: "prod", NOTE: GITHUB_TOKEN }, NONE)).toEqual({
      API_TOKEN: MASKED,
      STAGE: "prod",
      NOTE: MASKED,
    });
  });
});

describe("masking at the AWS boundary, before anything is stored", () => {
  it("masks resolved execution variables by name and by value", () => {
    const detail = mapExecutionDetail({
      pipelineExecutionId: "e1",
      variables: [
        { name: "API_TOKEN", resolvedValue: "plain-looking" },
        { name: "RELEASE_NOTES", resolvedValue: `rotate ${AWS_KEY_ID}` },
        { name: "ENV", resolvedValue: "prod" },
      ],
    });
    expect(detail?.variables).toEqual([
      { name: "API_TOKEN", resolvedValue: MASKED },
      { name: "RELEASE_NOTES", resolvedValue: MASKED },
      { name: "ENV", resolvedValue: "prod" },
    ]);
  });

  it("masks action output variables and keeps the commit facts the sync engine reads", () => {
    const action = mapActionExecution({
      pipelineExecutionId: "e1",
      actionExecutionId: "a1",
      stageName: "Build",
      actionName: "Build",
      output: {
        outputVariables: {
          DEPLOY_PASSWORD: "p",
          CommitId: "da7add70427515f20f736525be1b92bf23ff6b6f",
          BranchName: "main",
          LOG: PEM,
        },
      },
    });
    expect(action?.outputVariables).toEqual({
      DEPLOY_PASSWORD: MASKED,
      CommitId: "da7add70427515f20f736525be1b92bf23ff6b6f",
      BranchName: "main",
      LOG: MASKED,
    });
  });

  it("masks declared variables' defaults, in the variables list and in the stored declaration", () => {
    const def = mapPipelineDefinition({
      pipeline: {
        name: "p",
        roleArn: "arn:aws:iam::123456789012:role/p",
        stages: [],
        variables: [
          { name: "API_TOKEN", defaultValue: "s3cr3t", description: "for the smoke tests" },
          { name: "CACHE_KEY", defaultValue: "v2" },
          { name: "NOTE", defaultValue: GITHUB_TOKEN },
        ],
      },
      $metadata: {},
    });
    expect(def?.variables).toEqual([
      { name: "API_TOKEN", defaultValue: MASKED, description: "for the smoke tests" },
      { name: "CACHE_KEY", defaultValue: "v2" },
      { name: "NOTE", defaultValue: MASKED },
    ]);
    const stored = JSON.stringify(def?.declaration);
    expect(stored).not.toContain("s3cr3t");
    expect(stored).not.toContain(GITHUB_TOKEN);
    expect(stored).toContain('"v2"');
  });

  it("drops secret-named configuration keys and masks secret-looking configuration values", () => {
    expect(
      sanitizeConfiguration({
        Owner: "acme",
        OAuthToken: "****",
        SigningKey: "k",
        S3ObjectKey: "artifacts/app.zip",
        UserParameters: `--token ${GITHUB_TOKEN}`,
      }),
    ).toEqual({ Owner: "acme", S3ObjectKey: "artifacts/app.zip", UserParameters: MASKED });
  });

  it("masks CodeBuild plain-text environment variables by name and value, and keeps references to secrets", () => {
    const env = JSON.stringify([
      { name: "NPM_TOKEN", value: "abc", type: "PLAINTEXT" },
      { name: "NOTE", value: GITHUB_TOKEN, type: "PLAINTEXT" },
      { name: "DB_PASSWORD", value: "prod/db/password", type: "SECRETS_MANAGER" },
      { name: "STAGE", value: "prod", type: "PLAINTEXT" },
    ]);
    const out = JSON.parse(sanitizeConfiguration({ EnvironmentVariables: env })?.EnvironmentVariables ?? "[]") as {
      value: string;
    }[];
    expect(out.map((e) => e.value)).toEqual([MASKED, MASKED, "prod/db/password", "prod"]);
  });
});
