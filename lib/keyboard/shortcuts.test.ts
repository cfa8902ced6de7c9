import { describe, expect, it } from "vitest";
import { isTyping, shortcutFor, type KeyInput } from "./shortcuts";

const key = (k: string, over: Partial<KeyInput> = {}): KeyInput => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  defaultPrevented: false,
  target: { tagName: "BODY" },
  ...over,
});

describe("shortcutFor", () => {
  it("takes / and ? on the page", () => {
    expect(shortcutFor(key("/"))).toEqual({ kind: "focus-search" });
    expect(shortcutFor(key("?"))).toEqual({ kind: "show-help" });
    expect(shortcutFor(key("?", { target: { tagName: "A" } }))).toEqual({ kind: "show-help" });
    expect(shortcutFor(key("/", { target: null }))).toEqual({ kind: "focus-search" });
    expect(shortcutFor(key("k"))).toEqual({ kind: "none" });
  });

  it("never takes a key typed into a field", () => {
    for (const target of [
      { tagName: "INPUT" },
      { tagName: "input", type: "search" },
      { tagName: "TEXTAREA" },
      { tagName: "SELECT" },
      { tagName: "DIV", isContentEditable: true },
    ]) {
      expect(shortcutFor(key("/", { target }))).toEqual({ kind: "none" });
      expect(shortcutFor(key("?", { target }))).toEqual({ kind: "none" });
    }
  });

  it("leaves modified keys and handled events to the browser and the page", () => {
    expect(shortcutFor(key("/", { ctrlKey: true }))).toEqual({ kind: "none" });
    expect(shortcutFor(key("/", { metaKey: true }))).toEqual({ kind: "none" });
    expect(shortcutFor(key("?", { altKey: true }))).toEqual({ kind: "none" });
    expect(shortcutFor(key("/", { defaultPrevented: true }))).toEqual({ kind: "none" });
  });
});

describe("isTyping", () => {
  it("treats buttons and checkboxes as not typing", () => {
    expect(isTyping({ tagName: "INPUT", type: "checkbox" })).toBe(false);
    expect(isTyping({ tagName: "BUTTON" })).toBe(false);
    expect(isTyping({ tagName: "INPUT", type: "text" })).toBe(true);
  });
});
