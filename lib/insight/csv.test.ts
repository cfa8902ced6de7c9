import { describe, expect, it } from "vitest";
import { toCsv } from "./csv";

describe("insight CSV", () => {
  it("quotes separators and neutralises formulas from untrusted names", () => {
    expect(
      toCsv(
        ["name", "n"],
        [
          ["=HYPERLINK(1)", 3],
          ['a,"b"', null],
          ["-1", -1],
        ],
      ),
    ).toBe('name,n\r\n\'=HYPERLINK(1),3\r\n"a,""b""",\r\n\'-1,-1\r\n');
  });
});
