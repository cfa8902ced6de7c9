import { describe, expect, it } from "vitest";
import { parseCheckRunBody } from "./check-runs-input";

const SHA = "a".repeat(40);
const invalid = (body: Record<string, unknown>, mode: "create" | "update" = "create") => {
  const parsed = parseCheckRunBody(body, mode);
  return parsed.kind === "invalid" ? parsed.message : parsed.kind;
};

describe("check run bodies, schema layer (422 Invalid request.)", () => {
  it("names every missing required field, in GitHub's wording", () => {
    expect(invalid({})).toBe('Invalid request.\n\n"head_sha", "name" weren\'t supplied.');
    expect(invalid({ name: "build" })).toBe('Invalid request.\n\n"head_sha" wasn\'t supplied.');
    expect(invalid({ name: "build", head_sha: SHA, output: { summary: "s" } })).toBe(
      'Invalid request.\n\n"title" wasn\'t supplied.',
    );
    // An update needs only the summary of its output.
    expect(parseCheckRunBody({ output: { summary: "s" } }, "update").kind).toBe("ok");
  });

  it("wants a conclusion with status completed or with completed_at", () => {
    expect(invalid({ name: "b", head_sha: SHA, status: "completed" })).toBe(
      'Invalid request.\n\n"conclusion" wasn\'t supplied.',
    );
    expect(invalid({ completed_at: "2026-12-01T10:00:00Z" }, "update")).toBe(
      'Invalid request.\n\n"conclusion" wasn\'t supplied.',
    );
  });

  it("rejects values outside the enums, wrong types and bad times", () => {
    expect(invalid({ name: "b", head_sha: SHA, status: "waiting" })).toBe(
      `Invalid request.\n\nFor 'properties/status', "waiting" is not a member of ["queued", "in_progress", "completed"].`,
    );
    expect(invalid({ name: 5, head_sha: SHA })).toBe("Invalid request.\n\nFor 'properties/name', 5 is not a string.");
    expect(invalid({ name: "b", head_sha: SHA, details_url: null })).toBe(
      "Invalid request.\n\nFor 'properties/details_url', nil is not a string.",
    );
    expect(invalid({ name: "b", head_sha: SHA, started_at: "yesterday" })).toMatch(/started_at.*not a valid date-time/);
  });

  it("counts characters against the 65535 limit of summary and text", () => {
    const output = (summary: string, text?: string) => ({
      name: "b",
      head_sha: SHA,
      output: { title: "t", summary, text },
    });
    expect(invalid(output("x".repeat(65536)))).toBe(
      "Invalid request.\n\nOnly 65535 characters are allowed; 65536 were supplied.",
    );
    expect(invalid(output("ok", "y".repeat(70000)))).toBe(
      "Invalid request.\n\nOnly 65535 characters are allowed; 70000 were supplied.",
    );
    expect(parseCheckRunBody(output("x".repeat(65535)), "create").kind).toBe("ok");
  });

  it("takes at most 50 annotations and 3 actions, each action within its lengths", () => {
    const annotation = { path: "a.ts", start_line: 1, end_line: 1, annotation_level: "warning", message: "m" };
    const annotations = Array.from({ length: 51 }, () => annotation);
    expect(invalid({ name: "b", head_sha: SHA, output: { title: "t", summary: "s", annotations } })).toBe(
      "Invalid request.\n\nNo more than 50 items are allowed; 51 were supplied.",
    );
    const action = { label: "Approve", description: "Approve the stage", identifier: "approve" };
    expect(invalid({ name: "b", head_sha: SHA, actions: [action, action, action, action] })).toBe(
      "Invalid request.\n\nNo more than 3 items are allowed; 4 were supplied.",
    );
    expect(invalid({ name: "b", head_sha: SHA, actions: [{ ...action, label: "L".repeat(21) }] })).toBe(
      "Invalid request.\n\nOnly 20 characters are allowed; 21 were supplied.",
    );
    expect(invalid({ name: "b", head_sha: SHA, actions: [{ ...action, description: "D".repeat(41) }] })).toBe(
      "Invalid request.\n\nOnly 40 characters are allowed; 41 were supplied.",
    );
    expect(invalid({ name: "b", head_sha: SHA, actions: [{ label: "x", description: "y" }] })).toBe(
      'Invalid request.\n\n"identifier" wasn\'t supplied.',
    );
    // GitHub lists missing fields sorted: "annotation_level", "path" weren't supplied.
    const partial = { end_line: 1, start_line: 1, message: "m" };
    expect(invalid({ name: "b", head_sha: SHA, output: { title: "t", summary: "s", annotations: [partial] } })).toBe(
      'Invalid request.\n\n"annotation_level", "path" weren\'t supplied.',
    );
  });
});

describe("check run bodies, model layer (422 Validation Failed)", () => {
  it("counts bytes against the 65535 limit, so a summary short in characters can still be too big", () => {
    const parsed = parseCheckRunBody(
      { name: "b", head_sha: SHA, output: { title: "t", summary: "é".repeat(40000) } },
      "create",
    );
    expect(parsed).toEqual({
      kind: "failed",
      errors: [
        {
          resource: "CheckRun",
          field: "summary",
          code: "custom",
          message: "summary exceeds a maximum bytesize of 65535",
        },
      ],
    });
  });
});

describe("check run bodies that pass", () => {
  it("keeps what was given, times normalised to seconds and Z", () => {
    const parsed = parseCheckRunBody(
      {
        name: "Stageboard / deploy",
        head_sha: SHA,
        status: "in_progress",
        external_id: "exec-1",
        details_url: "https://stageboard.example/p/1",
        started_at: "2026-12-01T10:00:00.123+01:00",
        actions: [{ label: "Approve", description: "Approve the stage", identifier: "approve" }],
      },
      "create",
    );
    expect(parsed).toEqual({
      kind: "ok",
      input: {
        name: "Stageboard / deploy",
        headSha: SHA,
        status: "in_progress",
        externalId: "exec-1",
        detailsUrl: "https://stageboard.example/p/1",
        startedAt: "2026-12-01T09:00:00Z",
        actions: [{ label: "Approve", description: "Approve the stage", identifier: "approve" }],
      },
    });
  });
});
