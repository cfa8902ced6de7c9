// CodePipeline's glob patterns for a V2 trigger's branch filters (pure): `*` is any run of characters within one
// path segment, `**` any run across segments, `?` one character, `{a,b}` either; everything else is literal.

function toRegExp(pattern: string): RegExp {
  let out = "";
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      out += ".*";
      i++;
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "{") {
      out += "(?:";
      depth++;
    } else if (c === "}" && depth > 0) {
      out += ")";
      depth--;
    } else if (c === "," && depth > 0) out += "|";
    else out += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  // An unclosed brace is taken literally rather than failing the whole filter.
  if (depth > 0) return new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`);
  return new RegExp(`^${out}$`);
}

export function branchMatches(pattern: string, branch: string): boolean {
  return toRegExp(pattern).test(branch);
}
