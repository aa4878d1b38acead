// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {DirectoryErrors, PermitRegistryErrors} from "./interfaces/LedgerErrors.sol";
import {IDirectory} from "./interfaces/IDirectory.sol";
import {Roles} from "./libraries/Roles.sol";

/**
 * @title PermitRegistry
 * @dev Building permits and licences from application to certificate, with every official act — marking
 * an application complete, each approval step, issuing, amending and revoking the certificate — kept as
 * the officer's own EIP-712 signature, checked on-chain so that any relayer (the ledger service) can
 * submit it without being able to forge it. The relayer may only record applications and their
 * documents (hashes the applicant supplied); it is never the authority for an act.
 *
 * A municipality defines permit types, each an ordered chain of approval roles. A permit is applied for
 * with the hashes of its documents and a salted commitment to the applicant (never a name), marked
 * complete (which starts the legal clock of the Building Control Act), decided step by step by officers
 * holding each step's role, issued as a certificate hash + CID, then amended (a new version superseding
 * the old, linked both ways) or revoked with a reason code. Every transition is an event, so the approval
 * trail can be rebuilt from the log alone; {verify} answers residents holding a certificate.
 *
 * Who may act is always asked of the {Directory} for the permit's municipality, so nothing can be done
 * for a suspended municipality. Permit numbers are scoped by municipality: each begins with its
 * {Directory} code and "/", so one municipality cannot take another's numbers.
 */
contract PermitRegistry is EIP712, Nonces, PermitRegistryErrors, DirectoryErrors {
    /**
     * @dev Where a permit stands. `None` means no such permit; Rejected and Revoked are terminal.
     */
    enum PermitState {
        None,
        Applied,
        UnderReview,
        Approved,
        Rejected,
        Issued,
        Revoked
    }

    /**
     * @dev An officer's decision on one approval step; `None` marks a step not decided yet.
     */
    enum Decision {
        None,
        Approve,
        Reject
    }

    /**
     * @dev What {verify} says about a certificate hash.
     */
    enum Verdict {
        Unknown,
        Valid,
        Revoked,
        Superseded,
        Expired
    }

    /**
     * @dev The public record of a permit. `currentStep` is the index of the step awaiting a decision,
     * which is also the number of steps decided. `version`, `certificateHash` and `validUntil` (0 = never
     * expires) describe the current certificate once issued. Timestamps are unix seconds.
     */
    struct Permit {
        string number;
        uint32 municipalityId;
        PermitState state;
        uint8 currentStep;
        uint8 stepCount;
        uint32 version;
        uint16 revocationReason;
        uint64 appliedAt;
        uint64 completedAt;
        uint64 validUntil;
        bytes32 typeId;
        bytes32 applicantCommitment;
        bytes32 certificateHash;
    }

    /**
     * @dev One approval step. Undecided steps carry only their `role`.
     */
    struct Step {
        bytes32 role;
        Decision decision;
        address officer;
        uint64 decidedAt;
        bytes32 noteHash;
    }

    /**
     * @dev Where a certificate hash belongs and which versions it replaced and was replaced by.
     */
    struct Certificate {
        bytes32 permitId;
        uint32 version;
        bytes32 supersedes;
        bytes32 supersededBy;
    }

    /// @dev A municipality's permit type: its approval chain, first step first, and the certificate's
    /// validity in days (0 = never expires).
    struct PermitType {
        bytes32[] approvalRoles;
        uint32 validityDays;
        bool retired;
    }

    /// @dev The EIP-712 type an officer signs to decide a step; `role` shows the signer which hat they wear.
    bytes32 public constant STEP_DECISION_TYPEHASH = keccak256(
        "StepDecision(bytes32 permitId,uint8 stepIndex,bytes32 role,uint8 decision,bytes32 noteHash,uint256 nonce,uint256 deadline)"
    );
    /// @dev The EIP-712 type a permit officer signs to declare an application complete, which starts the
    /// legal clock. `documentCount` pins the documents it was complete with: they are append-only, so the
    /// count names them, and a document added after the signature invalidates it.
    bytes32 public constant COMPLETION_TYPEHASH =
        keccak256("Completion(bytes32 permitId,uint256 documentCount,uint256 nonce,uint256 deadline)");
    /// @dev The EIP-712 type a permit officer signs to issue a permit's first certificate. A `string` is
    /// encoded as the keccak256 of its bytes, so the struct carries `keccak256(bytes(cid))` while a wallet
    /// shows the CID itself.
    bytes32 public constant ISSUANCE_TYPEHASH =
        keccak256("Issuance(bytes32 permitId,bytes32 certificateHash,string cid,uint256 nonce,uint256 deadline)");
    /// @dev The EIP-712 type the issuing authority signs to amend a permit: the new certificate and its CID.
    bytes32 public constant AMENDMENT_TYPEHASH = keccak256(
        "Amendment(bytes32 permitId,bytes32 certificateHash,string cid,bytes32 reasonHash,uint256 nonce,uint256 deadline)"
    );
    /// @dev The EIP-712 type the issuing authority signs to revoke a permit.
    bytes32 public constant REVOCATION_TYPEHASH =
        keccak256("Revocation(bytes32 permitId,uint16 reasonCode,bytes32 reasonHash,uint256 nonce,uint256 deadline)");

    /// @dev Bounds the loops over a chain (separation of duties) and fits a step index in a uint8.
    uint256 private constant _MAX_STEPS = 16;

    IDirectory private immutable _directory;
    mapping(uint32 municipalityId => mapping(bytes32 typeId => PermitType)) private _types;
    mapping(bytes32 permitId => Permit) private _permits;
    mapping(bytes32 permitId => Step[]) private _steps;
    mapping(bytes32 permitId => bytes32[]) private _documents;
    mapping(bytes32 certificateHash => Certificate) private _certificates;

    /// @dev Emitted when a municipality defines a permit type with its chain of approval roles.
    event PermitTypeDefined(uint32 indexed municipalityId, bytes32 indexed typeId, bytes32[] approvalRoles, uint32 validityDays);
    /// @dev Emitted when a municipality stops accepting applications of a permit type.
    event PermitTypeRetired(uint32 indexed municipalityId, bytes32 indexed typeId);
    /// @dev Emitted when a permit is applied for; `sender` is the officer or relaying service that recorded it.
    event PermitApplied(
        bytes32 indexed permitId,
        uint32 indexed municipalityId,
        bytes32 typeId,
        string number,
        bytes32 applicantCommitment,
        bytes32[] documentHashes,
        address sender
    );
    /// @dev Emitted when documents are added to an application that is not complete yet.
    event PermitDocumentsAdded(bytes32 indexed permitId, bytes32[] documentHashes, address sender);
    /// @dev Emitted when `officer` declares an application complete by their own signature: `completedAt`
    /// starts the legal clock.
    event PermitCompleted(bytes32 indexed permitId, uint64 completedAt, address indexed officer);
    /// @dev Emitted when `officer` approves or rejects step `stepIndex` under `role`, by their own signature.
    event PermitStepDecided(
        bytes32 indexed permitId, uint8 stepIndex, bytes32 role, address indexed officer, Decision decision, bytes32 noteHash
    );
    /// @dev Emitted when the last step approves the permit.
    event PermitApproved(bytes32 indexed permitId);
    /// @dev Emitted when step `stepIndex` rejects the permit, which ends it.
    event PermitRejected(bytes32 indexed permitId, uint8 stepIndex);
    /// @dev Emitted when `officer` issues the first certificate of an approved permit by their own signature.
    event PermitIssued(
        bytes32 indexed permitId,
        uint32 version,
        bytes32 indexed certificateHash,
        string cid,
        uint64 validUntil,
        address indexed officer
    );
    /// @dev Emitted when `officer` amends a permit: `certificateHash` (version `version`) supersedes
    /// `previousCertificateHash`.
    event PermitAmended(
        bytes32 indexed permitId,
        uint32 version,
        bytes32 indexed certificateHash,
        bytes32 previousCertificateHash,
        string cid,
        bytes32 reasonHash,
        address indexed officer
    );
    /// @dev Emitted when `officer` revokes a permit, every version of it.
    event PermitRevoked(bytes32 indexed permitId, uint16 reasonCode, bytes32 reasonHash, address indexed officer);

    /**
     * @dev Every role check is delegated to `directory_`, the deployment's {Directory}.
     */
    constructor(IDirectory directory_) EIP712("PermitRegistry", "1") {
        _directory = directory_;
    }

    /**
     * @dev Defines `typeId` in `municipalityId` with its ordered `approvalRoles` (1 to 16, none zero) and
     * the certificate's validity in days (0 = never expires). Only the municipality admin. Types cannot
     * change afterwards, so no permit's chain changes under it. Emits {PermitTypeDefined}.
     */
    function definePermitType(uint32 municipalityId, bytes32 typeId, bytes32[] calldata approvalRoles, uint32 validityDays)
        external
    {
        _directory.checkAdmin(municipalityId, msg.sender);
        bool valid = typeId != 0 && approvalRoles.length != 0 && approvalRoles.length <= _MAX_STEPS;
        for (uint256 i = 0; valid && i < approvalRoles.length; ++i) {
            valid = approvalRoles[i] != 0;
        }
        if (!valid) revert PermitRegistryInvalidPermitType(typeId, approvalRoles);
        PermitType storage t = _types[municipalityId][typeId];
        if (t.approvalRoles.length != 0) revert PermitRegistryPermitTypeExists(municipalityId, typeId);
        t.approvalRoles = approvalRoles;
        t.validityDays = validityDays;
        emit PermitTypeDefined(municipalityId, typeId, approvalRoles, validityDays);
    }

    /**
     * @dev Stops new applications of `typeId`; permits already applied for continue. Only the municipality
     * admin. Emits {PermitTypeRetired}.
     */
    function retirePermitType(uint32 municipalityId, bytes32 typeId) external {
        _directory.checkAdmin(municipalityId, msg.sender);
        _openType(municipalityId, typeId).retired = true;
        emit PermitTypeRetired(municipalityId, typeId);
    }

    /**
     * @dev Records an application under its public, globally unique `number`, which begins with the
     * municipality's {Directory} code and "/" (e.g. "TH-50-MAEHIA/BP/2026/0001", the code holding no "/"),
     * so that no municipality takes another's numbers; the permit id is `keccak256(bytes(number))`, see
     * {permitIdOf}.
     * `applicantCommitment` is a salted hash of the applicant, never a name. A permit officer or the
     * ledger service of `municipalityId`. (Named `applyForPermit` because `apply` is reserved in Solidity.)
     * Emits {PermitApplied}.
     */
    function applyForPermit(
        string calldata number,
        uint32 municipalityId,
        bytes32 typeId,
        bytes32[] calldata documentHashes,
        bytes32 applicantCommitment
    ) external returns (bytes32 permitId) {
        _checkIntake(municipalityId);
        PermitType storage t = _openType(municipalityId, typeId);
        if (bytes(number).length == 0) revert PermitRegistryInvalidPermitNumber(number);
        _checkNumberOf(municipalityId, number);
        permitId = permitIdOf(number);
        Permit storage p = _permits[permitId];
        if (p.state != PermitState.None) revert PermitRegistryPermitNumberTaken(number, permitId);
        if (applicantCommitment == 0) revert PermitRegistryInvalidCommitment(permitId, applicantCommitment);
        _addDocuments(permitId, documentHashes);
        p.number = number;
        p.municipalityId = municipalityId;
        p.typeId = typeId;
        p.state = PermitState.Applied;
        p.stepCount = uint8(t.approvalRoles.length);
        p.applicantCommitment = applicantCommitment;
        p.appliedAt = uint64(block.timestamp);
        emit PermitApplied(permitId, municipalityId, typeId, number, applicantCommitment, documentHashes, msg.sender);
    }

    /**
     * @dev Adds document hashes to an application that is not complete yet. A permit officer or the ledger
     * service. Emits {PermitDocumentsAdded}.
     */
    function addDocuments(bytes32 permitId, bytes32[] calldata documentHashes) external {
        Permit storage p = _permitIn(permitId, PermitState.Applied);
        _checkIntake(p.municipalityId);
        _addDocuments(permitId, documentHashes);
        emit PermitDocumentsAdded(permitId, documentHashes, msg.sender);
    }

    /**
     * @dev Declares the application complete, with the documents recorded so far, and sends it to its first
     * approval step. The timestamp is the start of the legal clock. Signed as a `Completion` (see
     * {hashCompletion}) by `officer`, who must hold PERMIT_OFFICER in the permit's municipality; anyone may
     * submit it. A replayed signature fails on the spent nonce. Emits {PermitCompleted}.
     */
    function markComplete(bytes32 permitId, address officer, uint256 deadline, bytes calldata signature) external {
        Permit storage p = _permitIn(permitId, PermitState.Applied);
        _checkDeadline(deadline);
        _checkSignature(
            officer,
            keccak256(
                abi.encode(COMPLETION_TYPEHASH, permitId, _documents[permitId].length, _useNonce(officer), deadline)
            ),
            signature
        );
        _directory.checkRole(p.municipalityId, Roles.PERMIT_OFFICER, officer);
        p.state = PermitState.UnderReview;
        p.completedAt = uint64(block.timestamp);
        emit PermitCompleted(permitId, p.completedAt, officer);
    }

    /**
     * @dev Records `officer`'s decision on step `stepIndex`, signed by them as a `StepDecision` (see
     * {hashStepDecision}); anyone may submit it. The officer must hold the step's role in the permit's
     * municipality and must not have decided another step of this permit. Approving the last step
     * approves the permit, rejecting any step rejects it. A replayed signature fails on the spent nonce.
     * Emits {PermitStepDecided}, then {PermitApproved} or {PermitRejected} when the permit's state changes.
     */
    function decide(
        bytes32 permitId,
        uint8 stepIndex,
        Decision decision,
        bytes32 noteHash,
        address officer,
        uint256 deadline,
        bytes calldata signature
    ) external {
        Permit storage p = _permitIn(permitId, PermitState.UnderReview);
        uint8 current = p.currentStep;
        // A step not reached yet has nothing to sign against; an earlier one is refused after the
        // signature check, so that a replay is reported as what it is: a spent nonce.
        if (stepIndex > current) revert PermitRegistryWrongStep(permitId, current, stepIndex);
        _checkDeadline(deadline);
        if (decision == Decision.None) revert PermitRegistryInvalidDecision(permitId, stepIndex);
        bytes32 role = _types[p.municipalityId][p.typeId].approvalRoles[stepIndex];
        _checkSignature(
            officer,
            keccak256(
                abi.encode(
                    STEP_DECISION_TYPEHASH, permitId, stepIndex, role, uint8(decision), noteHash, _useNonce(officer), deadline
                )
            ),
            signature
        );
        if (stepIndex != current) revert PermitRegistryWrongStep(permitId, current, stepIndex);
        _directory.checkRole(p.municipalityId, role, officer);
        Step[] storage steps_ = _steps[permitId];
        for (uint256 i = 0; i < steps_.length; ++i) {
            if (steps_[i].officer == officer) revert PermitRegistryOfficerAlreadyDecided(permitId, officer);
        }
        steps_.push(Step(role, decision, officer, uint64(block.timestamp), noteHash));
        p.currentStep = current + 1;
        if (decision == Decision.Reject) p.state = PermitState.Rejected;
        else if (current + 1 == p.stepCount) p.state = PermitState.Approved;
        emit PermitStepDecided(permitId, stepIndex, role, officer, decision, noteHash);
        if (p.state == PermitState.Rejected) emit PermitRejected(permitId, stepIndex);
        else if (p.state == PermitState.Approved) emit PermitApproved(permitId);
    }

    /**
     * @dev Issues version 1 of an approved permit's certificate: its SHA-256 `certificateHash` (never used
     * before) and IPFS `cid`. Validity runs from now for the type's `validityDays`. Signed as an `Issuance`
     * (see {hashIssuance}) by `officer`, who must hold PERMIT_OFFICER in the permit's municipality; anyone
     * may submit it. Emits {PermitIssued}.
     */
    function issue(
        bytes32 permitId,
        bytes32 certificateHash,
        string calldata cid,
        address officer,
        uint256 deadline,
        bytes calldata signature
    ) external {
        Permit storage p = _permitIn(permitId, PermitState.Approved);
        _checkDeadline(deadline);
        _checkNewCertificate(certificateHash, cid);
        _checkSignature(
            officer,
            keccak256(
                abi.encode(ISSUANCE_TYPEHASH, permitId, certificateHash, keccak256(bytes(cid)), _useNonce(officer), deadline)
            ),
            signature
        );
        _directory.checkRole(p.municipalityId, Roles.PERMIT_OFFICER, officer);
        _certificates[certificateHash] = Certificate(permitId, 1, 0, 0);
        uint32 validityDays = _types[p.municipalityId][p.typeId].validityDays;
        p.state = PermitState.Issued;
        p.version = 1;
        p.certificateHash = certificateHash;
        p.validUntil = validityDays == 0 ? 0 : uint64(block.timestamp + uint256(validityDays) * 1 days);
        emit PermitIssued(permitId, 1, certificateHash, cid, p.validUntil, officer);
    }

    /**
     * @dev Issues the next version of an issued permit, superseding the current certificate (linked both
     * ways in {certificate}); the expiry date does not move. Signed as an `Amendment` (see {hashAmendment},
     * which covers the new certificate's hash and its CID) by an officer holding the type's last approval
     * role, the issuing authority; anyone may submit it.
     * Emits {PermitAmended}.
     */
    function amend(
        bytes32 permitId,
        bytes32 certificateHash,
        string calldata cid,
        bytes32 reasonHash,
        address officer,
        uint256 deadline,
        bytes calldata signature
    ) external {
        Permit storage p = _permitIn(permitId, PermitState.Issued);
        _checkDeadline(deadline);
        _checkNewCertificate(certificateHash, cid);
        _checkSignature(
            officer,
            keccak256(
                abi.encode(
                    AMENDMENT_TYPEHASH, permitId, certificateHash, keccak256(bytes(cid)), reasonHash, _useNonce(officer), deadline
                )
            ),
            signature
        );
        _checkIssuingAuthority(p, officer);
        bytes32 previous = p.certificateHash;
        uint32 version = p.version + 1;
        _certificates[certificateHash] = Certificate(permitId, version, previous, 0);
        _certificates[previous].supersededBy = certificateHash;
        p.version = version;
        p.certificateHash = certificateHash;
        emit PermitAmended(permitId, version, certificateHash, previous, cid, reasonHash, officer);
    }

    /**
     * @dev Revokes an issued permit, all of its versions, with a non-zero `reasonCode` and the hash of the
     * reasoned decision. Signed as a `Revocation` (see {hashRevocation}) by an officer holding the type's
     * last approval role; anyone may submit it. Emits {PermitRevoked}.
     */
    function revoke(
        bytes32 permitId,
        uint16 reasonCode,
        bytes32 reasonHash,
        address officer,
        uint256 deadline,
        bytes calldata signature
    ) external {
        Permit storage p = _permitIn(permitId, PermitState.Issued);
        _checkDeadline(deadline);
        if (reasonCode == 0) revert PermitRegistryInvalidReasonCode(permitId, reasonCode);
        _checkSignature(
            officer,
            keccak256(abi.encode(REVOCATION_TYPEHASH, permitId, reasonCode, reasonHash, _useNonce(officer), deadline)),
            signature
        );
        _checkIssuingAuthority(p, officer);
        p.state = PermitState.Revoked;
        p.revocationReason = reasonCode;
        emit PermitRevoked(permitId, reasonCode, reasonHash, officer);
    }

    /**
     * @dev The EIP-712 digest an officer signs to decide step `stepIndex` of `permitId` with `nonce` (their
     * {nonces} value when the decision is submitted). Reverts for an unknown permit or a step beyond its chain.
     */
    function hashStepDecision(
        bytes32 permitId,
        uint8 stepIndex,
        Decision decision,
        bytes32 noteHash,
        uint256 nonce,
        uint256 deadline
    ) external view returns (bytes32 digest) {
        Permit storage p = _existingPermit(permitId);
        if (stepIndex >= p.stepCount) revert PermitRegistryWrongStep(permitId, p.currentStep, stepIndex);
        bytes32 role = _types[p.municipalityId][p.typeId].approvalRoles[stepIndex];
        return _hashTypedDataV4(
            keccak256(abi.encode(STEP_DECISION_TYPEHASH, permitId, stepIndex, role, uint8(decision), noteHash, nonce, deadline))
        );
    }

    /**
     * @dev The EIP-712 digest a permit officer signs for {markComplete}: `documentCount` is the number of
     * document hashes the application holds (see {documents}), `nonce` their {nonces} value when it is
     * submitted.
     */
    function hashCompletion(bytes32 permitId, uint256 documentCount, uint256 nonce, uint256 deadline)
        external
        view
        returns (bytes32 digest)
    {
        return _hashTypedDataV4(keccak256(abi.encode(COMPLETION_TYPEHASH, permitId, documentCount, nonce, deadline)));
    }

    /**
     * @dev The EIP-712 digest a permit officer signs for {issue}.
     */
    function hashIssuance(bytes32 permitId, bytes32 certificateHash, string calldata cid, uint256 nonce, uint256 deadline)
        external
        view
        returns (bytes32 digest)
    {
        return _hashTypedDataV4(
            keccak256(abi.encode(ISSUANCE_TYPEHASH, permitId, certificateHash, keccak256(bytes(cid)), nonce, deadline))
        );
    }

    /**
     * @dev The EIP-712 digest an officer signs for {amend}.
     */
    function hashAmendment(
        bytes32 permitId,
        bytes32 certificateHash,
        string calldata cid,
        bytes32 reasonHash,
        uint256 nonce,
        uint256 deadline
    ) external view returns (bytes32 digest) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(AMENDMENT_TYPEHASH, permitId, certificateHash, keccak256(bytes(cid)), reasonHash, nonce, deadline)
            )
        );
    }

    /**
     * @dev The EIP-712 digest an officer signs for {revoke}.
     */
    function hashRevocation(bytes32 permitId, uint16 reasonCode, bytes32 reasonHash, uint256 nonce, uint256 deadline)
        external
        view
        returns (bytes32 digest)
    {
        return _hashTypedDataV4(keccak256(abi.encode(REVOCATION_TYPEHASH, permitId, reasonCode, reasonHash, nonce, deadline)));
    }

    /**
     * @dev The id of the permit numbered `number`, so a resident holding only the number can look it up.
     */
    function permitIdOf(string calldata number) public pure returns (bytes32) {
        return keccak256(bytes(number));
    }

    /**
     * @dev The chain of approval roles of `typeId` in `municipalityId`, its validity in days and whether it
     * is retired. An undefined type has no roles.
     */
    function permitType(uint32 municipalityId, bytes32 typeId)
        external
        view
        returns (bytes32[] memory approvalRoles, uint32 validityDays, bool retired)
    {
        PermitType storage t = _types[municipalityId][typeId];
        return (t.approvalRoles, t.validityDays, t.retired);
    }

    /**
     * @dev The record of `permitId`; its state is `None` when there is no such permit.
     */
    function permit(bytes32 permitId) external view returns (Permit memory) {
        return _permits[permitId];
    }

    /**
     * @dev Every step of the permit's chain in order: the decided ones as recorded, the others with only
     * their role.
     */
    function steps(bytes32 permitId) external view returns (Step[] memory result) {
        Permit storage p = _permits[permitId];
        bytes32[] storage roles = _types[p.municipalityId][p.typeId].approvalRoles;
        Step[] storage decided = _steps[permitId];
        result = new Step[](p.stepCount);
        for (uint256 i = 0; i < result.length; ++i) {
            result[i] = i < decided.length ? decided[i] : Step(roles[i], Decision.None, address(0), 0, 0);
        }
    }

    /**
     * @dev The hashes of the application's documents, in the order they were recorded.
     */
    function documents(bytes32 permitId) external view returns (bytes32[] memory) {
        return _documents[permitId];
    }

    /**
     * @dev The permit, version and neighbouring versions of `certificateHash`; all zero if never issued.
     */
    function certificate(bytes32 certificateHash) external view returns (Certificate memory) {
        return _certificates[certificateHash];
    }

    /**
     * @dev What a resident holding `certificateHash` needs to know: which permit and version it is, and
     * whether it is Valid, Revoked (any version of a revoked permit), Superseded by a newer version,
     * Expired, or Unknown (never issued here).
     */
    function verify(bytes32 certificateHash) external view returns (bytes32 permitId, uint32 version, Verdict verdict) {
        Certificate storage c = _certificates[certificateHash];
        permitId = c.permitId;
        version = c.version;
        if (permitId == 0) return (0, 0, Verdict.Unknown);
        Permit storage p = _permits[permitId];
        if (p.state == PermitState.Revoked) verdict = Verdict.Revoked;
        else if (c.supersededBy != 0) verdict = Verdict.Superseded;
        else if (p.validUntil != 0 && block.timestamp > p.validUntil) verdict = Verdict.Expired;
        else verdict = Verdict.Valid;
    }

    /**
     * @dev The {Directory} this registry asks about municipalities and officers.
     */
    function directory() external view returns (IDirectory) {
        return _directory;
    }

    function _checkIntake(uint32 municipalityId) private view {
        _directory.checkEitherRole(municipalityId, Roles.PERMIT_OFFICER, Roles.ANCHOR_SERVICE, msg.sender);
    }

    /// @dev The part of `number` before its first "/" must be the code of `municipalityId`, and something must
    /// follow the "/". A code that itself holds "/" is never matched, so no number reads as two codes'.
    function _checkNumberOf(uint32 municipalityId, string calldata number) private view {
        bytes calldata n = bytes(number);
        uint256 slash = 0;
        while (slash < n.length && n[slash] != "/") ++slash;
        uint32 numberedBy = slash + 1 < n.length ? _directory.municipalityIdOf(string(n[:slash])) : 0;
        if (numberedBy != municipalityId) revert PermitRegistryNumberOutsideMunicipality(number, municipalityId, numberedBy);
    }

    function _checkIssuingAuthority(Permit storage p, address officer) private view {
        bytes32[] storage roles = _types[p.municipalityId][p.typeId].approvalRoles;
        _directory.checkRole(p.municipalityId, roles[roles.length - 1], officer);
    }

    function _checkDeadline(uint256 deadline) private view {
        if (block.timestamp > deadline) revert PermitRegistrySignatureExpired(deadline, block.timestamp);
    }

    /// @dev A malformed signature reports the zero address as its signer rather than an ECDSA error, so
    /// clients decode one error for every bad signature.
    function _checkSignature(address officer, bytes32 structHash, bytes calldata signature) private view {
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecoverCalldata(_hashTypedDataV4(structHash), signature);
        if (err != ECDSA.RecoverError.NoError || recovered != officer) {
            revert PermitRegistryInvalidSigner(recovered, officer);
        }
    }

    function _openType(uint32 municipalityId, bytes32 typeId) private view returns (PermitType storage t) {
        t = _types[municipalityId][typeId];
        if (t.approvalRoles.length == 0) revert PermitRegistryUnknownPermitType(municipalityId, typeId);
        if (t.retired) revert PermitRegistryPermitTypeRetired(municipalityId, typeId);
    }

    function _existingPermit(bytes32 permitId) private view returns (Permit storage p) {
        p = _permits[permitId];
        if (p.state == PermitState.None) revert PermitRegistryUnknownPermit(permitId);
    }

    function _permitIn(bytes32 permitId, PermitState expected) private view returns (Permit storage p) {
        p = _existingPermit(permitId);
        if (p.state != expected) revert PermitRegistryWrongState(permitId, uint8(p.state), uint8(expected));
    }

    function _addDocuments(bytes32 permitId, bytes32[] calldata documentHashes) private {
        if (documentHashes.length == 0) revert PermitRegistryInvalidDocuments(permitId, documentHashes);
        bytes32[] storage stored = _documents[permitId];
        for (uint256 i = 0; i < documentHashes.length; ++i) {
            if (documentHashes[i] == 0) revert PermitRegistryInvalidDocuments(permitId, documentHashes);
            stored.push(documentHashes[i]);
        }
    }

    function _checkNewCertificate(bytes32 certificateHash, string calldata cid) private view {
        if (certificateHash == 0 || bytes(cid).length == 0) revert PermitRegistryInvalidCertificate(certificateHash, cid);
        bytes32 owner = _certificates[certificateHash].permitId;
        if (owner != 0) revert PermitRegistryCertificateExists(certificateHash, owner);
    }
}
