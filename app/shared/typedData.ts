// The contracts' EIP-712 typed data: the one definition the API, the web app and the tests sign with.
// Types only from ethers, so this module has no runtime dependency.
import type { TypedDataDomain, TypedDataField } from "ethers";

/**
 * The types an officer or the issuing authority signs for PermitRegistry. They must match
 * COMPLETION_TYPEHASH, STEP_DECISION_TYPEHASH, ISSUANCE_TYPEHASH, AMENDMENT_TYPEHASH and
 * REVOCATION_TYPEHASH in contracts/PermitRegistry.sol; test/contracts/PermitRegistry.test.ts checks that
 * by comparing hashCompletion, hashStepDecision, hashIssuance, hashAmendment and hashRevocation with
 * TypedDataEncoder.hash. A `string cid` is encoded as the keccak256 of its bytes, so the wallet shows the
 * CID while the contract hashes it.
 */
export const PERMIT_REGISTRY_TYPES: Record<"Completion" | "StepDecision" | "Issuance" | "Amendment" | "Revocation", TypedDataField[]> = {
  Completion: [
    { name: "permitId", type: "bytes32" },
    { name: "documentCount", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  StepDecision: [
    { name: "permitId", type: "bytes32" },
    { name: "stepIndex", type: "uint8" },
    { name: "role", type: "bytes32" },
    { name: "decision", type: "uint8" },
    { name: "noteHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  Issuance: [
    { name: "permitId", type: "bytes32" },
    { name: "certificateHash", type: "bytes32" },
    { name: "cid", type: "string" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  Amendment: [
    { name: "permitId", type: "bytes32" },
    { name: "certificateHash", type: "bytes32" },
    { name: "cid", type: "string" },
    { name: "reasonHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  Revocation: [
    { name: "permitId", type: "bytes32" },
    { name: "reasonCode", type: "uint16" },
    { name: "reasonHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/**
 * The type a reporter signs to confirm or reopen a resolved complaint. It must match
 * REPORTER_ACTION_TYPEHASH in contracts/ComplaintLedger.sol; test/contracts/ComplaintLedger.test.ts
 * checks that by comparing hashReporterAction with TypedDataEncoder.hash.
 */
export const COMPLAINT_LEDGER_TYPES: Record<"ReporterAction", TypedDataField[]> = {
  ReporterAction: [
    { name: "complaintId", type: "bytes32" },
    { name: "action", type: "uint8" },
    { name: "reasonHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** The EIP-712 domain of the PermitRegistry at `verifyingContract`: EIP712("PermitRegistry", "1") in contracts/PermitRegistry.sol. */
export function permitRegistryDomain(chainId: bigint | number, verifyingContract: string): TypedDataDomain {
  return { name: "PermitRegistry", version: "1", chainId: BigInt(chainId), verifyingContract };
}

/** The EIP-712 domain of the ComplaintLedger at `verifyingContract`: EIP712("ComplaintLedger", "1") in contracts/ComplaintLedger.sol. */
export function complaintLedgerDomain(chainId: bigint | number, verifyingContract: string): TypedDataDomain {
  return { name: "ComplaintLedger", version: "1", chainId: BigInt(chainId), verifyingContract };
}
