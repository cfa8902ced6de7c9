import { describe, expect, it } from "vitest";
import { addressKey, clientAddress, normalizeAddress, trustedProxyList } from "@/lib/server/rate-limit/client-ip";

const none = trustedProxyList([]);
const proxies = trustedProxyList(["10.0.0.0/8", "192.0.2.7", "2001:db8:ffff::/48"]);

describe("clientAddress", () => {
  it("without trusted proxies takes the right-most entry (Next's socket address when the client sent none)", () => {
    expect(clientAddress({ forwardedFor: "203.0.113.9", trustedProxies: none })).toBe("203.0.113.9");
    expect(clientAddress({ forwardedFor: "198.51.100.1, 203.0.113.9", trustedProxies: none })).toBe("203.0.113.9");
  });

  it("behind trusted proxies takes the right-most address that is not one of them", () => {
    // The client wrote "1.1.1.1" itself; the first proxy appended the real peer, then two trusted hops.
    const forwardedFor = "1.1.1.1, 203.0.113.9, 10.1.2.3, 192.0.2.7";
    expect(clientAddress({ forwardedFor, trustedProxies: proxies })).toBe("203.0.113.9");
  });

  it("does not believe an entry left of an untrusted hop, however trusted it looks", () => {
    const forwardedFor = "10.9.9.9, 198.51.100.23, 10.0.0.1";
    expect(clientAddress({ forwardedFor, trustedProxies: proxies })).toBe("198.51.100.23");
  });

  it("matches IPv6 ranges and IPv4-mapped IPv6 addresses", () => {
    expect(clientAddress({ forwardedFor: "2001:db8:1::5, 2001:db8:ffff::1", trustedProxies: proxies })).toBe(
      "2001:db8:1::5",
    );
    expect(clientAddress({ forwardedFor: "203.0.113.9, ::ffff:10.0.0.1", trustedProxies: proxies })).toBe(
      "203.0.113.9",
    );
  });

  it("stops at garbage and uses the last hop it could name, so garbage cannot mint new keys", () => {
    expect(clientAddress({ forwardedFor: "<script>, 10.0.0.1", trustedProxies: proxies })).toBe("10.0.0.1");
    expect(clientAddress({ forwardedFor: "203.0.113.9, not-an-ip", trustedProxies: none })).toBeNull();
  });

  it("when every hop is a trusted proxy (a request from the proxy itself), takes the left-most", () => {
    expect(clientAddress({ forwardedFor: "10.0.0.2, 10.0.0.1", trustedProxies: proxies })).toBe("10.0.0.2");
  });

  it("is null without the header", () => {
    expect(clientAddress({ forwardedFor: null, trustedProxies: proxies })).toBeNull();
    expect(clientAddress({ forwardedFor: "", trustedProxies: none })).toBeNull();
  });
});

describe("normalizeAddress", () => {
  it("strips ports, brackets, zones and the IPv4-mapped prefix", () => {
    expect(normalizeAddress(" 203.0.113.9:51234 ")).toBe("203.0.113.9");
    expect(normalizeAddress("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(normalizeAddress("fe80::1%eth0")).toBe("fe80::1");
    expect(normalizeAddress("::ffff:198.51.100.4")).toBe("198.51.100.4");
  });

  it("refuses what is not an address", () => {
    for (const raw of ["", "unknown", "999.1.1.1", "1.2.3", "x".repeat(100), "203.0.113.9:port"])
      expect(normalizeAddress(raw)).toBeNull();
  });
});

describe("addressKey", () => {
  it("keys IPv4 by address and IPv6 by its /64", () => {
    expect(addressKey("203.0.113.9")).toBe("203.0.113.9");
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey(null)).toBe("unknown");
  });
});
