import type { PledgeReceipt } from "../../../shared/pledgeReceipt.js";

/**
 * "My receipts": receipts this browser found valid (or pending), kept in localStorage only — the
 * resident's own list, never sent anywhere. A receipt that failed its check is not kept.
 */
export interface KeptReceipt {
  receipt: PledgeReceipt;
  verdict: "valid" | "pending";
  checkedAt: number;
}

const KEY = "ledger.receipts.v1";

export function keptReceipts(): KeptReceipt[] {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) ?? "[]") as KeptReceipt[];
    return Array.isArray(list) ? list.filter((item) => item?.receipt?.receiptId) : [];
  } catch {
    return [];
  }
}

function write(list: KeptReceipt[]): KeptReceipt[] {
  try {
    localStorage.setItem(KEY, JSON.stringify(list));
  } catch {
    // storage full or refused (private mode): the list lives for this page only
  }
  return list;
}

export function keepReceipt(receipt: PledgeReceipt, verdict: "valid" | "pending"): KeptReceipt[] {
  const others = keptReceipts().filter((item) => item.receipt.receiptId !== receipt.receiptId);
  return write([{ receipt, verdict, checkedAt: Date.now() }, ...others]);
}

export function forgetReceipt(receiptId: string): KeptReceipt[] {
  return write(keptReceipts().filter((item) => item.receipt.receiptId !== receiptId));
}
