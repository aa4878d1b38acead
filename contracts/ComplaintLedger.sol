// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {ComplaintLedgerErrors, DirectoryErrors} from "./interfaces/LedgerErrors.sol";
import {IDirectory} from "./interfaces/IDirectory.sol";
import {Roles} from "./libraries/Roles.sol";

/**
 * @title ComplaintLedger
 * @dev The public trail of residents' complaints: filed → acknowledged → in progress → resolved (with an
 * evidence hash) → confirmed by the reporter, or reopened ("closed, not fixed"); or closed early as
 * rejected, duplicate or not the municipality's responsibility, with a reason.
 *
 * Complaint text, contact data and photos stay off-chain (PDPA): the chain holds only their hashes and a
 * commitment to the reporter. The reporter proves they filed a complaint by opening that commitment,
 * either with a random 32-byte secret (the tracking code handed to them) or with an EIP-712 signature
 * from the address they committed to; see {confirmBySecret} and {confirmBySignature}.
 *
 * Every status change emits {ComplaintStatusChanged}, so an indexer (and the Open311 GeoReport v2 server
 * built on it) rebuilds each complaint's status history — who, when, with which evidence — from one
 * event stream; {ComplaintFiled} opens that stream.
 *
 * Officers act for the complaint's municipality with the COMPLAINT_OFFICER role in the {IDirectory};
 * while a municipality is suspended its officers can do nothing and nobody can file into it. Reporters
 * can still confirm or reopen, because their voice should not depend on the municipality's standing.
 */
contract ComplaintLedger is EIP712, Nonces, ComplaintLedgerErrors, DirectoryErrors {
    /**
     * @dev Life cycle of a complaint. `None` means "never filed". Confirmed, Rejected, Duplicate and
     * NotResponsible are final; Resolved waits for the reporter, who confirms or reopens it.
     */
    enum Status {
        None,
        Filed,
        Acknowledged,
        InProgress,
        Resolved,
        Confirmed,
        Reopened,
        Rejected,
        Duplicate,
        NotResponsible
    }

    /**
     * @dev The public record of a complaint: what this contract needs to run it, in three storage slots.
     * Timestamps are unix seconds; `dueAt` is the SLA deadline, restarted on every reopening. `category`
     * is kept because a reopening restarts the clock with the category's current SLA, `reporterCommitment`
     * because the reporter opens it to confirm or reopen. The area code and content hash are filed in
     * {ComplaintFiled} only: nothing here reads them, and storing them cost two slots (about 44,000 gas)
     * per filing.
     */
    struct Complaint {
        uint32 municipalityId;
        Status status;
        uint32 reopenCount;
        uint48 filedAt;
        uint48 dueAt;
        uint48 updatedAt;
        bytes32 category;
        bytes32 reporterCommitment;
    }

    /**
     * @dev A municipality's complaint category: its SLA in seconds and whether new filings are accepted.
     */
    struct Category {
        uint32 slaSeconds;
        bool active;
    }

    /// @dev `action` value of a signed {ReporterAction} that confirms the resolution.
    uint8 public constant ACTION_CONFIRM = 1;
    /// @dev `action` value of a signed {ReporterAction} that reopens the complaint.
    uint8 public constant ACTION_REOPEN = 2;
    /// @dev EIP-712 type hash of the reporter's signed confirmation or reopening.
    bytes32 public constant REPORTER_ACTION_TYPEHASH =
        keccak256("ReporterAction(bytes32 complaintId,uint8 action,bytes32 reasonHash,uint256 nonce,uint256 deadline)");

    // One bit per status (bit n = Status(n)), so "the statuses a transition may start from" is one mask.
    uint256 private constant _FILED = 1 << uint8(Status.Filed);
    uint256 private constant _ACKNOWLEDGED = 1 << uint8(Status.Acknowledged);
    uint256 private constant _IN_PROGRESS = 1 << uint8(Status.InProgress);
    uint256 private constant _RESOLVED = 1 << uint8(Status.Resolved);
    uint256 private constant _REOPENED = 1 << uint8(Status.Reopened);
    // The statuses in which the municipality still owes work, so the SLA clock runs.
    uint256 private constant _OPEN = _FILED | _ACKNOWLEDGED | _IN_PROGRESS | _REOPENED;

    IDirectory private immutable _directory;
    mapping(bytes32 complaintId => Complaint) private _complaints;
    mapping(uint32 municipalityId => mapping(bytes32 category => Category)) private _categories;

    /**
     * @dev Emitted when a municipality's admin sets up or changes `category` and its SLA.
     */
    event ComplaintCategorySet(uint32 indexed municipalityId, bytes32 indexed category, uint32 slaSeconds, bool active);

    /**
     * @dev Emitted when a complaint is filed; its status is Filed from this event on. `filingId` is the
     * filer's value the id was derived from; the service makes it the SHA-256 of the sealed off-chain
     * bundle, so the bundle is found from this event alone (see {file}). `areaCode` and `contentHash` are
     * on the chain here only (the stored {Complaint} leaves them out).
     */
    event ComplaintFiled(
        bytes32 indexed complaintId,
        uint32 indexed municipalityId,
        bytes32 filingId,
        bytes32 category,
        bytes32 areaCode,
        bytes32 contentHash,
        bytes32 reporterCommitment,
        uint48 dueAt
    );

    /**
     * @dev Emitted on every status change after filing. `actor` is the officer; for the reporter's
     * actions it is the reporter's address in signature mode and the sender (usually the relaying
     * service) in secret mode. `dataHash` is the note, evidence or reason hash (or the original
     * complaint's id for Duplicate); `reasonCode` is non-zero only when closing without resolving.
     */
    event ComplaintStatusChanged(
        bytes32 indexed complaintId,
        Status indexed status,
        Status previous,
        address indexed actor,
        bytes32 dataHash,
        uint16 reasonCode
    );

    /**
     * @dev Emitted when reopening by secret replaces the revealed commitment with `nextCommitment`.
     */
    event ComplaintCommitmentRotated(bytes32 indexed complaintId, bytes32 nextCommitment);

    /**
     * @dev Emitted when a reopening restarts the SLA clock: the complaint is now due at `dueAt`.
     */
    event ComplaintDeadlineReset(bytes32 indexed complaintId, uint48 dueAt);

    /**
     * @dev Officer roles and municipality status are read from `directory_`.
     */
    constructor(IDirectory directory_) EIP712("ComplaintLedger", "1") {
        _directory = directory_;
    }

    /**
     * @dev Sets up `categoryId` in `municipalityId` with an SLA of `slaSeconds` (> 0), or changes it.
     * An inactive category accepts no new filings; complaints already filed keep running, and a
     * reopening restarts their clock with the category's current SLA. Only the municipality's admin,
     * while the municipality is active. Emits {ComplaintCategorySet}.
     */
    function setCategory(uint32 municipalityId, bytes32 categoryId, uint32 slaSeconds, bool active) external {
        _directory.checkAdmin(municipalityId, msg.sender);
        if (categoryId == 0 || slaSeconds == 0) {
            revert ComplaintLedgerInvalidCategory(municipalityId, categoryId, slaSeconds);
        }
        _categories[municipalityId][categoryId] = Category({slaSeconds: slaSeconds, active: active});
        emit ComplaintCategorySet(municipalityId, categoryId, slaSeconds, active);
    }

    /**
     * @dev Files a complaint and returns its id, {complaintIdOf}(`municipalityId`, sender, `filingId`).
     * Open to anyone, since every resident may complain and the service relays filings and pays gas.
     * `filingId` is the filer's own non-zero value, unpredictable to others and never derived from
     * readable personal data — the service uses the SHA-256 of the complaint's sealed (encrypted) bundle,
     * whose IPFS CID it determines, so a copy of the ledger finds the bundle from {ComplaintFiled}. The
     * id is derived from it rather than taken as given, so that nobody can file first under the id of
     * someone else's complaint. `contentHash` covers the off-chain complaint text and photos (it and
     * `areaCode` are kept in {ComplaintFiled}, not in storage);
     * `reporterCommitment` is `keccak256(abi.encode(preimage))` where the preimage is a random 32-byte
     * secret or `bytes32(uint256(uint160(reporter)))`. The municipality must be active and the category
     * active there; the SLA deadline starts now. Emits {ComplaintFiled}.
     */
    function file(
        bytes32 filingId,
        uint32 municipalityId,
        bytes32 categoryId,
        bytes32 areaCode,
        bytes32 contentHash,
        bytes32 reporterCommitment
    ) external returns (bytes32 complaintId) {
        if (filingId == 0 || contentHash == 0 || reporterCommitment == 0) {
            revert ComplaintLedgerInvalidFiling(filingId, contentHash, reporterCommitment);
        }
        if (!_directory.isActive(municipalityId)) {
            // isActive cannot tell unknown from suspended; on an inactive municipality checkRole reverts
            // with whichever Directory error applies (address(0) never holds a role, so it always reverts).
            _directory.checkRole(municipalityId, Roles.COMPLAINT_OFFICER, address(0));
        }
        Category memory cat = _categories[municipalityId][categoryId];
        if (!cat.active) revert ComplaintLedgerCategoryInactive(municipalityId, categoryId);
        complaintId = complaintIdOf(municipalityId, msg.sender, filingId);
        // Taken only when this sender already used `filingId` in this municipality.
        if (_complaints[complaintId].status != Status.None) revert ComplaintLedgerComplaintExists(complaintId);

        uint48 filedAt = Time.timestamp();
        uint48 dueAt = filedAt + cat.slaSeconds;
        _complaints[complaintId] = Complaint({
            municipalityId: municipalityId,
            status: Status.Filed,
            reopenCount: 0,
            filedAt: filedAt,
            dueAt: dueAt,
            updatedAt: filedAt,
            category: categoryId,
            reporterCommitment: reporterCommitment
        });
        emit ComplaintFiled(complaintId, municipalityId, filingId, categoryId, areaCode, contentHash, reporterCommitment, dueAt);
    }

    /**
     * @dev An officer acknowledges a Filed or Reopened complaint. Emits {ComplaintStatusChanged}.
     */
    function acknowledge(bytes32 complaintId) external {
        Complaint storage c = _authorizeOfficer(complaintId, Status.Acknowledged, _FILED | _REOPENED);
        _setStatus(complaintId, c, Status.Acknowledged, msg.sender, 0, 0);
    }

    /**
     * @dev An officer starts work on a Filed, Acknowledged or Reopened complaint; `noteHash` (may be zero)
     * points at the off-chain work note. Emits {ComplaintStatusChanged}.
     */
    function startWork(bytes32 complaintId, bytes32 noteHash) external {
        Complaint storage c = _authorizeOfficer(complaintId, Status.InProgress, _FILED | _ACKNOWLEDGED | _REOPENED);
        _setStatus(complaintId, c, Status.InProgress, msg.sender, noteHash, 0);
    }

    /**
     * @dev An officer resolves an InProgress complaint with `evidenceHash` (non-zero) of the proof of the
     * fix; the reporter then confirms or reopens it. Emits {ComplaintStatusChanged}.
     */
    function resolve(bytes32 complaintId, bytes32 evidenceHash) external {
        Complaint storage c = _authorizeOfficer(complaintId, Status.Resolved, _IN_PROGRESS);
        if (evidenceHash == 0) revert ComplaintLedgerMissingEvidence(complaintId);
        _setStatus(complaintId, c, Status.Resolved, msg.sender, evidenceHash, 0);
    }

    /**
     * @dev An officer closes an open complaint without resolving it: `outcome` is Rejected, Duplicate or
     * NotResponsible, `reasonCode` (non-zero) comes from the municipality's reason catalogue and
     * `reasonHash` points at the explanation — for Duplicate it is the id of the original complaint,
     * which must be another complaint of the same municipality. Emits {ComplaintStatusChanged}.
     */
    function close(bytes32 complaintId, Status outcome, uint16 reasonCode, bytes32 reasonHash) external {
        if (outcome != Status.Rejected && outcome != Status.Duplicate && outcome != Status.NotResponsible) {
            revert ComplaintLedgerInvalidOutcome(complaintId, uint8(outcome));
        }
        Complaint storage c = _authorizeOfficer(complaintId, outcome, _OPEN);
        if (reasonCode == 0) revert ComplaintLedgerMissingReasonCode(complaintId);
        if (outcome == Status.Duplicate) {
            Complaint storage original = _complaints[reasonHash];
            if (
                reasonHash == complaintId || original.status == Status.None
                    || original.municipalityId != c.municipalityId
            ) revert ComplaintLedgerInvalidDuplicate(complaintId, reasonHash);
        }
        _setStatus(complaintId, c, outcome, msg.sender, reasonHash, reasonCode);
    }

    /**
     * @dev Confirms a Resolved complaint as fixed by revealing the secret whose hash is the reporter
     * commitment; anyone holding the secret may submit it (the service relays it). Final.
     * The secret becomes public in the mempool: a front-runner could copy it and call {reopenBySecret}
     * first, reopening the complaint and rotating the commitment to one of their own. Submit through a
     * private relay (or a permissioned chain), or use {confirmBySignature}, whose signature authorises
     * exactly one action and cannot be turned into another. Emits {ComplaintStatusChanged}.
     */
    function confirmBySecret(bytes32 complaintId, bytes32 secret) external {
        Complaint storage c = _authorizeSecret(complaintId, Status.Confirmed, secret);
        _setStatus(complaintId, c, Status.Confirmed, msg.sender, 0, 0);
    }

    /**
     * @dev Reopens a Resolved complaint as "closed, not fixed" by revealing the reporter's secret;
     * `reasonHash` (may be zero) points at the reporter's explanation. The revealed secret is public from
     * now on, so the commitment is rotated to `nextCommitment` (non-zero, different) for the reporter's
     * next confirmation. A front-runner who copies the secret from the mempool can submit this call with
     * a commitment of their own and take over the complaint; see {confirmBySecret} for the remedies
     * (signature mode cannot be hijacked that way). Restarts the SLA clock. Emits
     * {ComplaintStatusChanged}, {ComplaintDeadlineReset} and {ComplaintCommitmentRotated}.
     */
    function reopenBySecret(bytes32 complaintId, bytes32 secret, bytes32 nextCommitment, bytes32 reasonHash)
        external
    {
        Complaint storage c = _authorizeSecret(complaintId, Status.Reopened, secret);
        if (nextCommitment == 0 || nextCommitment == c.reporterCommitment) {
            revert ComplaintLedgerInvalidCommitment(complaintId, nextCommitment);
        }
        c.reporterCommitment = nextCommitment;
        _reopen(complaintId, c, msg.sender, reasonHash);
        emit ComplaintCommitmentRotated(complaintId, nextCommitment);
    }

    /**
     * @dev Confirms a Resolved complaint with the reporter's EIP-712 {ReporterAction} signature
     * (`action` = {ACTION_CONFIRM}, `reasonHash` = 0, the reporter's current {nonces}), valid until
     * `deadline`. The complaint's commitment must be that of `reporter`'s address. Anyone may submit it.
     * Final. Emits {ComplaintStatusChanged} with `reporter` as actor.
     */
    function confirmBySignature(bytes32 complaintId, address reporter, uint256 deadline, bytes calldata signature)
        external
    {
        Complaint storage c =
            _authorizeSignature(complaintId, Status.Confirmed, reporter, ACTION_CONFIRM, 0, deadline, signature);
        _setStatus(complaintId, c, Status.Confirmed, reporter, 0, 0);
    }

    /**
     * @dev Reopens a Resolved complaint as "closed, not fixed" with the reporter's EIP-712
     * {ReporterAction} signature (`action` = {ACTION_REOPEN}). The commitment stays: an address is not a
     * secret, so nothing was revealed. Restarts the SLA clock. Emits {ComplaintStatusChanged} with
     * `reporter` as actor, and {ComplaintDeadlineReset}.
     */
    function reopenBySignature(
        bytes32 complaintId,
        address reporter,
        bytes32 reasonHash,
        uint256 deadline,
        bytes calldata signature
    ) external {
        Complaint storage c =
            _authorizeSignature(complaintId, Status.Reopened, reporter, ACTION_REOPEN, reasonHash, deadline, signature);
        _reopen(complaintId, c, reporter, reasonHash);
    }

    /**
     * @dev The id {file} gives the complaint that `filer` files into `municipalityId` with `filingId`:
     * `keccak256(abi.encode(municipalityId, filer, filingId))`. Because the filer's address and the
     * municipality are part of it, a copy of a pending filing sent by anyone else, or for another
     * municipality, files under another id and cannot block the original. The filer knows the id before
     * sending.
     */
    function complaintIdOf(uint32 municipalityId, address filer, bytes32 filingId) public pure returns (bytes32) {
        return keccak256(abi.encode(municipalityId, filer, filingId));
    }

    /**
     * @dev The public record of `complaintId`. Reverts with {ComplaintLedgerUnknownComplaint} if never filed.
     */
    function complaint(bytes32 complaintId) external view returns (Complaint memory) {
        return _existing(complaintId);
    }

    /**
     * @dev Whether `complaintId` still awaits the municipality (Filed, Acknowledged, InProgress or
     * Reopened) past its SLA deadline. False for unknown, resolved and closed complaints.
     */
    function isOverdue(bytes32 complaintId) external view returns (bool) {
        Complaint storage c = _complaints[complaintId];
        return _isIn(c.status, _OPEN) && block.timestamp > c.dueAt;
    }

    /**
     * @dev The SLA in seconds of `categoryId` in `municipalityId` and whether it accepts filings;
     * (0, false) when never set up.
     */
    function category(uint32 municipalityId, bytes32 categoryId) external view returns (Category memory) {
        return _categories[municipalityId][categoryId];
    }

    /**
     * @dev The EIP-712 digest a reporter signs for {confirmBySignature} or {reopenBySignature}; `nonce`
     * is the reporter's current {nonces}.
     */
    function hashReporterAction(bytes32 complaintId, uint8 action, bytes32 reasonHash, uint256 nonce, uint256 deadline)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(
            keccak256(abi.encode(REPORTER_ACTION_TYPEHASH, complaintId, action, reasonHash, nonce, deadline))
        );
    }

    /**
     * @dev The {IDirectory} this ledger asks for officer roles and municipality status.
     */
    function directory() external view returns (IDirectory) {
        return _directory;
    }

    function _authorizeOfficer(bytes32 complaintId, Status to, uint256 fromMask)
        private
        view
        returns (Complaint storage c)
    {
        c = _existing(complaintId);
        _directory.checkRole(c.municipalityId, Roles.COMPLAINT_OFFICER, msg.sender);
        _requireFrom(complaintId, c.status, to, fromMask);
    }

    function _authorizeSecret(bytes32 complaintId, Status to, bytes32 secret)
        private
        view
        returns (Complaint storage c)
    {
        c = _existing(complaintId);
        _requireFrom(complaintId, c.status, to, _RESOLVED);
        if (keccak256(abi.encode(secret)) != c.reporterCommitment) revert ComplaintLedgerNotReporter(complaintId);
    }

    function _authorizeSignature(
        bytes32 complaintId,
        Status to,
        address reporter,
        uint8 action,
        bytes32 reasonHash,
        uint256 deadline,
        bytes calldata signature
    ) private returns (Complaint storage c) {
        if (block.timestamp > deadline) revert ComplaintLedgerSignatureExpired(deadline, block.timestamp);
        c = _existing(complaintId);
        _requireFrom(complaintId, c.status, to, _RESOLVED);
        if (keccak256(abi.encode(bytes32(uint256(uint160(reporter))))) != c.reporterCommitment) {
            revert ComplaintLedgerNotReporter(complaintId);
        }
        bytes32 digest = hashReporterAction(complaintId, action, reasonHash, _useNonce(reporter), deadline);
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecoverCalldata(digest, signature);
        // Checking `err` too keeps a malformed signature (recovering to zero) from passing for reporter 0.
        if (err != ECDSA.RecoverError.NoError || recovered != reporter) {
            revert ComplaintLedgerInvalidSigner(recovered, reporter);
        }
    }

    function _reopen(bytes32 complaintId, Complaint storage c, address actor, bytes32 reasonHash) private {
        uint48 dueAt = Time.timestamp() + _categories[c.municipalityId][c.category].slaSeconds;
        c.dueAt = dueAt;
        c.reopenCount += 1;
        _setStatus(complaintId, c, Status.Reopened, actor, reasonHash, 0);
        emit ComplaintDeadlineReset(complaintId, dueAt);
    }

    function _setStatus(
        bytes32 complaintId,
        Complaint storage c,
        Status to,
        address actor,
        bytes32 dataHash,
        uint16 reasonCode
    ) private {
        Status previous = c.status;
        c.status = to;
        c.updatedAt = Time.timestamp();
        emit ComplaintStatusChanged(complaintId, to, previous, actor, dataHash, reasonCode);
    }

    function _existing(bytes32 complaintId) private view returns (Complaint storage c) {
        c = _complaints[complaintId];
        if (c.status == Status.None) revert ComplaintLedgerUnknownComplaint(complaintId);
    }

    function _requireFrom(bytes32 complaintId, Status current, Status to, uint256 fromMask) private pure {
        if (!_isIn(current, fromMask)) revert ComplaintLedgerInvalidTransition(complaintId, uint8(current), uint8(to));
    }

    function _isIn(Status status, uint256 mask) private pure returns (bool) {
        return (mask >> uint8(status)) & 1 == 1;
    }
}
