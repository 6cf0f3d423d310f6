import { describe, expect, it } from "vitest";

import {
  parseNextAccessTime,
  retryAfterMs,
} from "../../../src/connectors/avidxchange/retry-after.js";

const NOW = Date.parse("2026-01-05T08:25:00Z");

describe("retryAfterMs", () => {
  it("reads delta-seconds", () => {
    expect(retryAfterMs({ "retry-after": "7" }, undefined, NOW)).toBe(7000);
    expect(retryAfterMs({ "retry-after": " 0 " }, undefined, NOW)).toBe(0);
  });

  it("reads an HTTP-date against the response's Date header, not our clock", () => {
    const headers = {
      "retry-after": "Mon, 05 Jan 2026 08:25:03 GMT",
      date: "Mon, 05 Jan 2026 08:25:01 GMT",
    };
    // Our clock is an hour fast; the server's own Date says 2 s remain.
    expect(retryAfterMs(headers, undefined, NOW + 3_600_000)).toBe(2000);
  });

  it("falls back to our clock without a Date header, and never goes negative", () => {
    expect(retryAfterMs({ "retry-after": "Mon, 05 Jan 2026 08:25:04 GMT" }, undefined, NOW)).toBe(
      4000,
    );
    expect(retryAfterMs({ "retry-after": "Mon, 05 Jan 2026 08:24:00 GMT" }, undefined, NOW)).toBe(
      0,
    );
  });

  it("falls back to WSO2's fault.nextAccessTime in the body", () => {
    const body =
      '{"fault":{"code":900802,"message":"Message throttled out","description":"You have exceeded your quota","nextAccessTime":"2026-Jan-05 08:26:00+0000 UTC"}}';
    expect(retryAfterMs({}, body, NOW)).toBe(60_000);
  });

  it("is undefined when nothing says how long", () => {
    expect(retryAfterMs({}, undefined, NOW)).toBeUndefined();
    expect(retryAfterMs({ "retry-after": "soon" }, "{}", NOW)).toBeUndefined();
    expect(retryAfterMs(undefined, undefined, NOW)).toBeUndefined();
  });
});

describe("parseNextAccessTime", () => {
  it("parses WSO2's format with its offset", () => {
    expect(parseNextAccessTime("2021-Mar-30 05:51:00+0000 UTC")).toBe(
      Date.parse("2021-03-30T05:51:00Z"),
    );
    expect(parseNextAccessTime("2021-Mar-30 07:51:00+0200")).toBe(
      Date.parse("2021-03-30T05:51:00Z"),
    );
    expect(parseNextAccessTime("2021-Foo-30 05:51:00")).toBeUndefined();
  });
});
