import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkManifestState, createManifestState, STATE_MAX_AGE_S, stateKey } from "./manifest-state";

const key = stateKey(randomBytes(32));
const binding = { sessionTokenHash: "a".repeat(64), userId: "user_1" };
const now = Date.UTC(2026, 11, 2, 12, 0, 0);

describe("the manifest flow's state", () => {
  it("is accepted for the session that made it, within the hour", () => {
    const state = createManifestState(key, binding, now);
    expect(checkManifestState(state, { keys: [key], binding, nowMs: now + (STATE_MAX_AGE_S - 1) * 1000 })).toEqual({
      kind: "valid",
    });
  });

  it("is refused for another session or another user of the same browser", () => {
    const state = createManifestState(key, binding, now);
    const otherSession = { ...binding, sessionTokenHash: "b".repeat(64) };
    const otherUser = { ...binding, userId: "user_2" };
    for (const other of [otherSession, otherUser])
      expect(checkManifestState(state, { keys: [key], binding: other, nowMs: now })).toEqual({
        kind: "invalid",
        reason: "not-this-session",
      });
  });

  it("is refused after GitHub's hour for the whole flow", () => {
    const state = createManifestState(key, binding, now);
    expect(checkManifestState(state, { keys: [key], binding, nowMs: now + (STATE_MAX_AGE_S + 1) * 1000 })).toEqual({
      kind: "invalid",
      reason: "expired",
    });
  });

  it("cannot be forged or altered: a changed time, another key, or garbage", () => {
    const state = createManifestState(key, binding, now);
    const [issued, nonce, mac] = state.split(".");
    const later = `${Number(issued) + 60}.${nonce}.${mac}`;
    expect(checkManifestState(later, { keys: [key], binding, nowMs: now })).toMatchObject({ kind: "invalid" });
    expect(checkManifestState(state, { keys: [stateKey(randomBytes(32))], binding, nowMs: now })).toMatchObject({
      kind: "invalid",
    });
    for (const garbage of ["", "x", `${issued}.${nonce}`, `${state}.extra`, "<script>"])
      expect(checkManifestState(garbage, { keys: [key], binding, nowMs: now })).toEqual({
        kind: "invalid",
        reason: "malformed",
      });
  });

  it("still opens with a previous key after TOKEN_ENCRYPTION_KEY was rotated mid-flow", () => {
    const state = createManifestState(key, binding, now);
    expect(checkManifestState(state, { keys: [stateKey(randomBytes(32)), key], binding, nowMs: now })).toEqual({
      kind: "valid",
    });
  });
});
