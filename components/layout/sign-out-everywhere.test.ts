import { describe, expect, it, vi } from "vitest";
import { signOutEverywhere } from "@/components/layout/sign-out-everywhere";

describe("signOutEverywhere", () => {
  it("signs this browser out once the server has ended every session", async () => {
    const fetch = vi.fn(() => Promise.resolve(Response.json({ data: { sessionsEnded: 3 } })));
    const signOut = vi.fn(() => Promise.resolve());
    expect(await signOutEverywhere({ fetch, signOut })).toEqual({ kind: "signed-out" });
    expect(fetch).toHaveBeenCalledWith("/api/sessions", expect.objectContaining({ method: "DELETE" }));
    expect(signOut).toHaveBeenCalledTimes(1);
  });

  it("says so, with the server's reason, and keeps this session when the server refuses", async () => {
    const fetch = vi.fn(() =>
      Promise.resolve(
        Response.json(
          { error: { code: "rate_limited", message: "Too many requests; try again in 12 s." } },
          { status: 429 },
        ),
      ),
    );
    const signOut = vi.fn(() => Promise.resolve());
    const result = await signOutEverywhere({ fetch, signOut });
    expect(result).toEqual({ kind: "failed", message: expect.stringContaining("try again in 12 s") as string });
    expect(signOut).not.toHaveBeenCalled();
  });

  it("names the status when the failure has no readable body", async () => {
    const fetch = vi.fn(() => Promise.resolve(new Response("<html>bad gateway</html>", { status: 502 })));
    const signOut = vi.fn(() => Promise.resolve());
    expect(await signOutEverywhere({ fetch, signOut })).toEqual({
      kind: "failed",
      message: expect.stringContaining("502") as string,
    });
    expect(signOut).not.toHaveBeenCalled();
  });

  it("says so when Stageboard cannot be reached", async () => {
    const fetch = vi.fn(() => Promise.reject(new TypeError("Failed to fetch")));
    const signOut = vi.fn(() => Promise.resolve());
    expect(await signOutEverywhere({ fetch, signOut })).toMatchObject({ kind: "failed", message: /reach/ });
    expect(signOut).not.toHaveBeenCalled();
  });
});
