import { describe, expect, it } from "vitest";
import { byteLength, clip, duration, fitLines, link, text } from "@/lib/server/writeback/markdown";

describe("Markdown from untrusted strings", () => {
  it("escapes HTML and every Markdown character, on one line", () => {
    expect(text("a <b>&amp;</b>\n\n# h *e* _u_ `c` [l](u) | ~~s~~ $m$ @x :smile:")).toBe(
      "a &lt;b&gt;&amp;amp;&lt;/b&gt; \\# h \\*e\\* \\_u\\_ \\`c\\` \\[l\\]\\(u\\) \\| \\~\\~s\\~\\~ \\$m\\$ \\@x \\:smile\\:",
    );
    expect(text("\u0000tab\there\u2028next")).toBe("tab here next");
  });

  it("clips by characters before escaping, never inside an escape or a surrogate pair", () => {
    expect(text("<<<<<", 3)).toBe("&lt;&lt;…");
    expect(clip("😀😀😀", 2)).toBe("😀…");
  });

  it("links only http(s), with the target unable to end the link early", () => {
    expect(link("logs", "javascript:alert(1)")).toBe("logs");
    expect(link("logs", "https://user:pw@example.com/")).toBe("logs");
    expect(link("[x]", "https://example.com/a b)c>d")).toBe("[\\[x\\]](<https://example.com/a%20b%29c%3Ed>)");
  });
});

describe("fitting lines in a byte budget", () => {
  it("keeps whole lines and says how many were left out", () => {
    const lines = ["a".repeat(40), "b".repeat(40), "c".repeat(40)];
    expect(fitLines(lines, 1000)).toBe(lines.join("\n"));
    const cut = fitLines(lines, 130);
    expect(cut.startsWith(`${lines[0]}\n`)).toBe(true);
    expect(cut).toContain("more line");
    expect(byteLength(cut)).toBeLessThanOrEqual(130);
    expect(cut).not.toContain("c");
  });
});

describe("durations", () => {
  it("read as seconds, minutes or hours", () => {
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000);
    expect(duration(t(0), t(45))).toBe("45s");
    expect(duration(t(0), t(185))).toBe("3m 05s");
    expect(duration(t(0), t(7440))).toBe("2h 04m");
    expect(duration(null, t(1))).toBeNull();
  });
});
