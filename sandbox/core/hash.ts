// Deterministic hashing and pseudo-random numbers: the fleet and its history are pure functions of the seed,
// so a 5,000-pipeline fleet needs no stored history and two runs with the same seed agree byte for byte.

/** 32-bit hash of a string (murmur3-style mixing; good spread, no crypto needed). */
export function hash32(text: string, salt = 0): number {
  let h = (0x9e3779b9 ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A number in [0, 1) derived from the parts. */
export function unit(...parts: (string | number)[]): number {
  return hash32(parts.join("\u0001")) / 4294967296;
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, "0");
}

/** A v4-shaped UUID derived from the parts. */
export function uuidFrom(...parts: (string | number)[]): string {
  const key = parts.join("\u0001");
  const h = [hash32(key, 1), hash32(key, 2), hash32(key, 3), hash32(key, 4)].map(hex8).join("");
  const variant = "89ab"[parseInt(h.charAt(16), 16) & 3] ?? "8";
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A 40-hex commit SHA derived from the parts. */
export function shaFrom(...parts: (string | number)[]): string {
  const key = parts.join("\u0001");
  return [1, 2, 3, 4, 5].map((s) => hex8(hash32(key, s))).join("");
}

/** Seeded generator (mulberry32) whose whole state is one number, so it can be saved and restored. */
export class Rng {
  constructor(public state: number) {}

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error("pick from empty list");
    return item;
  }

  uuid(): string {
    return uuidFrom("rng", this.next(), this.next());
  }
}

/** Picks from a list by a unit value in [0, 1). */
export function pickBy<T>(items: readonly T[], u: number): T {
  const item = items[Math.min(items.length - 1, Math.floor(u * items.length))];
  if (item === undefined) throw new Error("pick from empty list");
  return item;
}
