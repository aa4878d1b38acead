import { makeError } from "ethers";
import type { JsonRpcSender } from "../../../shared/verifyBundle.js";

/**
 * A JSON-RPC connection over fetch: all that verifyProofBundle needs, without ethers' provider machinery
 * (polling, network detection), which would weigh on the page for nothing. A revert of eth_call becomes
 * ethers' CALL_EXCEPTION, as JsonRpcProvider reports it, so the verifier tells "no such contract
 * function" from "the node is down".
 */
export function fetchRpc(url: string): JsonRpcSender {
  let nextId = 1;
  return {
    async send(method, params) {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status} from ${url}`);
      const answer = (await response.json()) as { result?: unknown; error?: { code: number; message: string; data?: string } };
      if (!answer.error) return answer.result;
      const { code, message, data } = answer.error;
      if (method === "eth_call" && (code === 3 || /revert/i.test(message))) {
        throw makeError(message, "CALL_EXCEPTION", { action: "call", data: typeof data === "string" ? data : null, reason: null, transaction: { to: null, data: "" }, invocation: null, revert: null });
      }
      throw new Error(`${method}: ${message} (${code})`);
    },
  };
}
