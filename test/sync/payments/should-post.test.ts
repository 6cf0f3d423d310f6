import { describe, expect, it } from "vitest";

import { isInvalidConfigurationError } from "../../../src/sync/errors.js";
import {
  decidePaymentAction,
  hasReachedPostingStatus,
  isFinalPaymentStatus,
  isKnownPaymentStatus,
  PAYMENT_STATUS_CHAINS,
} from "../../../src/sync/payments/should-post.js";

describe("payment status chains", () => {
  it("posts at Funds Received by default, and at every later step of every chain", () => {
    for (const chain of Object.values(PAYMENT_STATUS_CHAINS) as (readonly string[])[]) {
      const posted = chain.filter((status) => hasReachedPostingStatus(status));
      const firstPosted = chain.indexOf(posted[0]!);
      // Once reached, every later status has reached it too.
      expect(chain.slice(firstPosted)).toEqual(posted);
    }
    expect(hasReachedPostingStatus("Debit Requested")).toBe(false);
    expect(hasReachedPostingStatus("Funds Received")).toBe(true);
    expect(hasReachedPostingStatus("Sent to Check Printer")).toBe(true);
    expect(hasReachedPostingStatus("ACH Credit Issued")).toBe(true);
    expect(hasReachedPostingStatus("VCC Processing")).toBe(true);
    expect(hasReachedPostingStatus("Cleared")).toBe(true);
  });

  it("honours another posting status, across chains", () => {
    expect(hasReachedPostingStatus("Funds Received", "Cleared")).toBe(false);
    expect(hasReachedPostingStatus("Cleared", "Cleared")).toBe(true);
    // An ACH payment has no check-printer step; its equivalent step counts.
    expect(hasReachedPostingStatus("ACH Credit Issued", "Sent to Check Printer")).toBe(true);
    expect(hasReachedPostingStatus("Issued to Supplier", "Sent to Check Printer")).toBe(true);
  });

  it("never treats a side exit as having reached the posting status", () => {
    for (const status of ["Held", "Error", "Void"]) {
      expect(hasReachedPostingStatus(status)).toBe(false);
    }
  });

  it("knows final statuses and tolerates case and spacing", () => {
    expect(isFinalPaymentStatus("Cleared")).toBe(true);
    expect(isFinalPaymentStatus(" void ")).toBe(true);
    expect(isFinalPaymentStatus("Funds Received")).toBe(false);
    expect(isKnownPaymentStatus("funds  received")).toBe(true);
    expect(isKnownPaymentStatus("Paid")).toBe(false);
  });

  it("rejects a posting status no chain knows", () => {
    try {
      hasReachedPostingStatus("Cleared", "Paid");
      expect.unreachable();
    } catch (error) {
      expect(isInvalidConfigurationError(error)).toBe(true);
    }
  });
});

describe("what to do with a payment", () => {
  const decide = (status: string, posted = false, reversed = false) =>
    decidePaymentAction({ status, posted, reversed });

  it("posts once the posting status is reached, once", () => {
    expect(decide("Processing")).toBe("wait");
    expect(decide("Funds Received")).toBe("post");
    expect(decide("Cleared", true)).toBe("none");
  });

  it("reverses a payment voided after posting, and only then", () => {
    expect(decide("Void", true)).toBe("reverse");
    expect(decide("Void", true, true)).toBe("none");
    expect(decide("Void", false)).toBe("none");
  });

  it("waits on Held and Error, and never guesses an unknown status", () => {
    expect(decide("Held")).toBe("wait");
    expect(decide("Error")).toBe("wait");
    expect(decide("Paid")).toBe("unknown-status");
  });
});
