/**
 * The database schema, as numbered migrations applied in order by `openDatabase`. A migration is never
 * edited once released: a change of schema is a new migration. The `schema_version` table records which
 * ones ran.
 *
 * Two kinds of tables live here, and only the first kind holds anything the chain does not:
 * - the anchoring queue (`records`, `anchor_batches`): what the API accepted and what the worker sent;
 * - the index (`idx_*`): query tables that the indexer derives from contract events and can rebuild
 *   from the chain alone (`npm run reindex`).
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "anchoring queue: accepted records and the batches that anchor them",
    sql: `
      -- One row per Merkle batch the worker formed. Its membership (records.batch_id) and root are
      -- written in the same transaction, before any transaction is sent, so that after a crash the same
      -- root can be asked for on chain and re-sent: BatchAnchor refuses a root twice, so a re-send can
      -- never anchor a record twice.
      CREATE TABLE anchor_batches (
        batch_id        INTEGER PRIMARY KEY AUTOINCREMENT,
        root            TEXT    NOT NULL UNIQUE,
        municipality_id INTEGER NOT NULL,
        record_count    INTEGER NOT NULL CHECK (record_count > 0),
        -- A random extra leaf, set only when the plain root was taken (by another municipality).
        salt            TEXT,
        status          TEXT    NOT NULL CHECK (status IN ('unsent', 'submitted', 'anchored', 'final', 'abandoned')),
        created_at      INTEGER NOT NULL,
        tx_hash         TEXT,
        nonce           INTEGER,
        submitted_at    INTEGER,
        block_number    INTEGER,
        block_hash      TEXT,
        anchored_at     INTEGER,
        -- Not before this time (ms) is a refused batch tried again.
        retry_at        INTEGER NOT NULL DEFAULT 0,
        last_error      TEXT
      );
      CREATE INDEX anchor_batches_status ON anchor_batches (status, batch_id);

      -- A record's own status follows from its batch: none or unsent → pending, then the batch's status.
      CREATE TABLE records (
        record_id       TEXT    PRIMARY KEY,
        sha256          TEXT    NOT NULL,
        municipality_id INTEGER NOT NULL,
        cid             TEXT,
        kind            TEXT    NOT NULL,
        meta            TEXT,
        leaf            TEXT    NOT NULL,
        accepted_at     INTEGER NOT NULL,
        batch_id        INTEGER REFERENCES anchor_batches (batch_id),
        proof           TEXT,
        UNIQUE (sha256, municipality_id)
      );
      CREATE INDEX records_sha256 ON records (sha256);
      CREATE INDEX records_batch ON records (batch_id);
      CREATE INDEX records_unbatched ON records (municipality_id, accepted_at, record_id) WHERE batch_id IS NULL;
    `,
  },
  {
    version: 2,
    description: "index: anchored batches, revocations, municipalities and officer roles from contract events",
    sql: `
      -- Where the indexer stands: the next block to read and the hash of the last block read, which
      -- tells it when the chain under it changed (a reorganisation, or an embedded chain restarted from
      -- an older state dump).
      CREATE TABLE idx_cursor (
        name            TEXT    PRIMARY KEY,
        next_block      INTEGER NOT NULL,
        last_block_hash TEXT
      );
      CREATE TABLE idx_batches (
        root            TEXT    PRIMARY KEY,
        municipality_id INTEGER NOT NULL,
        record_count    INTEGER NOT NULL,
        block_number    INTEGER NOT NULL,
        log_index       INTEGER NOT NULL,
        tx_hash         TEXT    NOT NULL,
        sender          TEXT    NOT NULL,
        anchored_at     INTEGER NOT NULL
      );
      CREATE INDEX idx_batches_municipality ON idx_batches (municipality_id, block_number);
      CREATE TABLE idx_revocations (
        root            TEXT    NOT NULL,
        leaf            TEXT    NOT NULL,
        reason_code     INTEGER NOT NULL,
        reason_hash     TEXT    NOT NULL,
        actor           TEXT    NOT NULL,
        block_number    INTEGER NOT NULL,
        log_index       INTEGER NOT NULL,
        tx_hash         TEXT    NOT NULL,
        revoked_at      INTEGER NOT NULL,
        PRIMARY KEY (root, leaf)
      );
      CREATE TABLE idx_municipalities (
        municipality_id INTEGER PRIMARY KEY,
        code            TEXT    NOT NULL,
        name            TEXT    NOT NULL,
        admin           TEXT    NOT NULL,
        suspended       INTEGER NOT NULL,
        added_block     INTEGER NOT NULL
      );
      -- Every grant and revocation in chain order: who could act for whom, and when.
      CREATE TABLE idx_role_changes (
        block_number    INTEGER NOT NULL,
        log_index       INTEGER NOT NULL,
        municipality_id INTEGER NOT NULL,
        role            TEXT    NOT NULL,
        account         TEXT    NOT NULL,
        granted         INTEGER NOT NULL,
        sender          TEXT    NOT NULL,
        tx_hash         TEXT    NOT NULL,
        PRIMARY KEY (block_number, log_index)
      );
      -- Who holds which role now (the net effect of idx_role_changes).
      CREATE TABLE idx_officer_roles (
        municipality_id INTEGER NOT NULL,
        role            TEXT    NOT NULL,
        account         TEXT    NOT NULL,
        granted_block   INTEGER NOT NULL,
        PRIMARY KEY (municipality_id, role, account)
      );
    `,
  },
  {
    version: 3,
    description: "index: the audit trail of the workflow contracts; officers' sign-in nonces and sessions",
    sql: `
      -- Every event of PermitRegistry, ComplaintLedger and CivicFund (indexer/modules/trail.ts).
      CREATE TABLE idx_events (
        block_number    INTEGER NOT NULL,
        log_index       INTEGER NOT NULL,
        tx_hash         TEXT    NOT NULL,
        contract        TEXT    NOT NULL,
        event           TEXT    NOT NULL,
        subject         TEXT    NOT NULL,
        municipality_id INTEGER,
        args            TEXT    NOT NULL,
        sender          TEXT    NOT NULL,
        timestamp       INTEGER NOT NULL,
        PRIMARY KEY (block_number, log_index)
      );
      CREATE INDEX idx_events_subject ON idx_events (contract, subject, block_number, log_index);
      CREATE INDEX idx_events_municipality ON idx_events (municipality_id, timestamp);
      -- Which event modules built the index (tables and followed events, hashed): when a release adds a
      -- module or a table, the indexer sees another value here and rebuilds everything from the
      -- deployment block, so events from before the new tables existed are in them too.
      ALTER TABLE idx_cursor ADD COLUMN modules TEXT;

      -- Sign-In with Ethereum: a nonce is handed out once and used at most once, before it expires.
      CREATE TABLE auth_nonces (
        nonce           TEXT    PRIMARY KEY,
        expires_at      INTEGER NOT NULL
      );
      -- An officer's session: the cookie holds a random token, the table only its SHA-256, so a copy of
      -- the database opens no session.
      CREATE TABLE auth_sessions (
        token_hash      TEXT    PRIMARY KEY,
        address         TEXT    NOT NULL,
        chain_id        INTEGER NOT NULL,
        created_at      INTEGER NOT NULL,
        expires_at      INTEGER NOT NULL
      );
    `,
  },
  {
    version: 4,
    description: "permits: index of permit types, permits and certificates; sealed applications, files and drafts",
    sql: `
      -- Index (indexer/modules/permits.ts): a pure function of PermitRegistry's events.
      CREATE TABLE idx_permit_types (
        municipality_id INTEGER NOT NULL,
        type_id         TEXT    NOT NULL,
        approval_roles  TEXT    NOT NULL, -- JSON array of role ids, first step first
        validity_days   INTEGER NOT NULL,
        retired         INTEGER NOT NULL,
        PRIMARY KEY (municipality_id, type_id)
      );
      CREATE TABLE idx_permits (
        permit_id       TEXT    PRIMARY KEY,
        number          TEXT    NOT NULL,
        municipality_id INTEGER NOT NULL,
        type_id         TEXT    NOT NULL,
        state           TEXT    NOT NULL,
        step_count      INTEGER NOT NULL,
        current_step    INTEGER NOT NULL,
        -- The role of the step awaiting a decision (NULL when none is awaited).
        current_role    TEXT,
        applied_at      INTEGER NOT NULL,
        completed_at    INTEGER,
        decided_at      INTEGER,
        version         INTEGER NOT NULL,
        certificate_hash TEXT,
        valid_until     INTEGER,
        revocation_reason INTEGER
      );
      CREATE INDEX idx_permits_queue ON idx_permits (municipality_id, state, current_role);
      CREATE TABLE idx_permit_certificates (
        certificate_hash TEXT   PRIMARY KEY,
        permit_id       TEXT    NOT NULL,
        version         INTEGER NOT NULL,
        cid             TEXT    NOT NULL,
        supersedes      TEXT,
        superseded_by   TEXT,
        issued_at       INTEGER NOT NULL,
        tx_hash         TEXT    NOT NULL,
        block_number    INTEGER NOT NULL
      );
      CREATE INDEX idx_permit_certificates_permit ON idx_permit_certificates (permit_id, version);

      -- Off-chain and not rebuildable from the chain: what the service sealed and where it put it.
      -- One row per application made through the API; the tracking code is kept only as its hash.
      CREATE TABLE permit_applications (
        permit_id       TEXT    PRIMARY KEY,
        number          TEXT    NOT NULL UNIQUE,
        number_prefix   TEXT    NOT NULL,
        sequence        INTEGER NOT NULL,
        municipality_id INTEGER NOT NULL,
        type_code       TEXT    NOT NULL,
        -- Public fields (parcel, description) as JSON; also a public document on IPFS (public_cid).
        public_fields   TEXT    NOT NULL,
        public_cid      TEXT    NOT NULL,
        -- The applicant's personal fields, sealed (vault context "permit-applicant"), on IPFS.
        applicant_cid   TEXT    NOT NULL,
        salt            TEXT    NOT NULL,
        tracking_hash   TEXT    NOT NULL,
        created_at      INTEGER NOT NULL,
        UNIQUE (number_prefix, sequence)
      );
      -- Documents, decision notes and reasons: the SHA-256 of the plain bytes and the CID of the sealed ones.
      CREATE TABLE permit_files (
        permit_id       TEXT    NOT NULL,
        kind            TEXT    NOT NULL CHECK (kind IN ('document', 'public-application', 'note', 'reason')),
        sha256          TEXT    NOT NULL,
        cid             TEXT    NOT NULL,
        name            TEXT,
        media_type      TEXT,
        size            INTEGER NOT NULL,
        created_at      INTEGER NOT NULL,
        PRIMARY KEY (permit_id, kind, sha256)
      );
      -- A certificate rendered for issue or amendment: its data hash (the QR's h) and, until the
      -- issuing authority signs an amendment or revocation, what they are asked to sign.
      CREATE TABLE permit_drafts (
        draft_id        TEXT    PRIMARY KEY,
        permit_id       TEXT    NOT NULL,
        kind            TEXT    NOT NULL CHECK (kind IN ('amendment', 'revocation')),
        payload         TEXT    NOT NULL,
        created_by      TEXT    NOT NULL,
        created_at      INTEGER NOT NULL,
        used_tx_hash    TEXT
      );
      CREATE TABLE permit_certificate_data (
        certificate_hash TEXT   PRIMARY KEY,
        permit_id       TEXT    NOT NULL,
        version         INTEGER NOT NULL,
        data_hash       TEXT    NOT NULL,
        cid             TEXT    NOT NULL
      );
    `,
  },
  {
    version: 5,
    description: "complaints: their index (status, category, due time, area), sealed bundles, Open311 jurisdictions and api keys",
    sql: `
      -- Each complaint's current public record, a function of ComplaintLedger's events
      -- (indexer/modules/complaints.ts). Status is the contract's enum number.
      CREATE TABLE idx_complaints (
        complaint_id        TEXT    PRIMARY KEY,
        municipality_id     INTEGER NOT NULL,
        category            TEXT    NOT NULL,
        area_code           TEXT    NOT NULL,
        content_hash        TEXT    NOT NULL,
        reporter_commitment TEXT    NOT NULL,
        status              INTEGER NOT NULL,
        filed_at            INTEGER NOT NULL,
        due_at              INTEGER NOT NULL,
        updated_at          INTEGER NOT NULL,
        reopen_count        INTEGER NOT NULL,
        filed_block         INTEGER NOT NULL,
        filed_tx            TEXT    NOT NULL
      );
      CREATE INDEX idx_complaints_status ON idx_complaints (municipality_id, status, due_at);
      CREATE INDEX idx_complaints_filed ON idx_complaints (municipality_id, filed_at);
      CREATE INDEX idx_complaints_category ON idx_complaints (municipality_id, category, filed_at);
      CREATE INDEX idx_complaints_area ON idx_complaints (municipality_id, area_code, filed_at);
      CREATE INDEX idx_complaints_commitment ON idx_complaints (reporter_commitment);
      -- A municipality's complaint categories and their SLA, as last set on-chain.
      CREATE TABLE idx_complaint_categories (
        municipality_id INTEGER NOT NULL,
        category        TEXT    NOT NULL,
        sla_seconds     INTEGER NOT NULL,
        active          INTEGER NOT NULL,
        PRIMARY KEY (municipality_id, category)
      );

      -- What the chain does not hold: where a complaint's sealed bundle (text, contact, photos, location)
      -- is on IPFS, its Open311 token, and its public location rounded for the Open311 listing.
      CREATE TABLE complaint_filings (
        complaint_id    TEXT    PRIMARY KEY,
        municipality_id INTEGER NOT NULL,
        bundle_cid      TEXT    NOT NULL,
        token           TEXT    NOT NULL UNIQUE,
        lat             REAL,
        long            REAL,
        channel         TEXT    NOT NULL,
        created_at      INTEGER NOT NULL
      );
      -- Sealed files and texts tied to a status change (evidence of a fix, the reporter's reason to reopen).
      CREATE TABLE complaint_attachments (
        complaint_id    TEXT    NOT NULL,
        tx_hash         TEXT    NOT NULL,
        kind            TEXT    NOT NULL,
        sha256          TEXT    NOT NULL,
        cid             TEXT    NOT NULL,
        filename        TEXT,
        media_type      TEXT,
        created_at      INTEGER NOT NULL,
        PRIMARY KEY (complaint_id, tx_hash, kind)
      );
      -- Open311: each municipality answers under its own jurisdiction_id, with its own api keys, kept as
      -- SHA-256 only (a copy of the database files no complaint).
      CREATE TABLE open311_jurisdictions (
        jurisdiction_id TEXT    PRIMARY KEY,
        municipality_id INTEGER NOT NULL UNIQUE,
        created_at      INTEGER NOT NULL
      );
      CREATE TABLE open311_api_keys (
        key_hash        TEXT    PRIMARY KEY,
        jurisdiction_id TEXT    NOT NULL REFERENCES open311_jurisdictions (jurisdiction_id),
        label           TEXT    NOT NULL,
        created_by      TEXT    NOT NULL,
        created_at      INTEGER NOT NULL,
        revoked_at      INTEGER
      );
    `,
  },
  {
    version: 6,
    description: "funds: index of campaigns and their money movements; rules/evidence documents, off-chain pledge receipts, issued receipts",
    sql: `
      -- A campaign as its events leave it (indexer/modules/funds.ts). Amounts are uint256 as decimal text.
      CREATE TABLE idx_fund_campaigns (
        campaign_id         INTEGER PRIMARY KEY,
        municipality_id     INTEGER NOT NULL,
        token               TEXT    NOT NULL,
        beneficiary         TEXT    NOT NULL,
        goal                TEXT    NOT NULL,
        deadline            INTEGER NOT NULL,
        milestones          TEXT    NOT NULL,
        rules_document_hash TEXT    NOT NULL,
        rules_hash          TEXT,
        opened_at           INTEGER,
        cancelled_at        INTEGER,
        cancel_reason_hash  TEXT,
        pledged             TEXT    NOT NULL,
        refunded            TEXT    NOT NULL,
        released            TEXT    NOT NULL,
        offchain_total      TEXT    NOT NULL,
        created_by          TEXT    NOT NULL,
        created_tx          TEXT    NOT NULL,
        created_block       INTEGER NOT NULL,
        created_at          INTEGER NOT NULL
      );
      CREATE INDEX idx_fund_campaigns_municipality ON idx_fund_campaigns (municipality_id, campaign_id);
      -- Every pledge, off-chain pledge, refund and milestone payment, in chain order.
      CREATE TABLE idx_fund_movements (
        block_number        INTEGER NOT NULL,
        log_index           INTEGER NOT NULL,
        campaign_id         INTEGER NOT NULL,
        kind                TEXT    NOT NULL CHECK (kind IN ('pledge', 'offchain-pledge', 'refund', 'milestone')),
        account             TEXT,
        amount              TEXT    NOT NULL,
        reference           TEXT,
        milestone_index     INTEGER,
        officer             TEXT,
        tx_hash             TEXT    NOT NULL,
        timestamp           INTEGER NOT NULL,
        PRIMARY KEY (block_number, log_index)
      );
      CREATE INDEX idx_fund_movements_campaign ON idx_fund_movements (campaign_id, block_number, log_index);

      -- Public documents of campaigns (rules, milestone evidence, cancellation decisions): their IPFS CID
      -- by SHA-256, which is what the chain holds. Not rebuildable from the chain, hence not idx_.
      CREATE TABLE funds_documents (
        sha256              TEXT    PRIMARY KEY,
        cid                 TEXT    NOT NULL,
        purpose             TEXT    NOT NULL,
        media_type          TEXT    NOT NULL,
        created_at          INTEGER NOT NULL
      );
      -- Off-chain pledges: the receipt document (public: a salted commitment to the payer, no name), the
      -- payer's name and salt sealed by the vault, and the anchoring record once the treasurer's
      -- recordOffchainPledge is mined.
      CREATE TABLE funds_offchain_pledges (
        receipt_hash        TEXT    PRIMARY KEY,
        campaign_id         INTEGER NOT NULL,
        document            TEXT    NOT NULL,
        sealed_payer        BLOB    NOT NULL,
        record_id           TEXT,
        recorded_tx         TEXT,
        created_at          INTEGER NOT NULL
      );
      -- Receipts handed to residents, by id (the QR code's URL).
      CREATE TABLE funds_receipts (
        receipt_id          TEXT    PRIMARY KEY,
        kind                TEXT    NOT NULL,
        campaign_id         INTEGER NOT NULL,
        tx_hash             TEXT    NOT NULL,
        log_index           INTEGER NOT NULL,
        receipt_hash        TEXT,
        -- The receipt's fixed fields as JSON (everything but its URL and, off-chain, its proof).
        body                TEXT    NOT NULL,
        created_at          INTEGER NOT NULL
      );
    `,
  },
  {
    version: 7,
    description:
      "issuing documents: a record's one-time claim (an issuer's nonce); role changes dated; keys marked compromised; " +
      "anchored batches and revocations keyed by municipality",
    sql: `
      -- A key no other record may hold: an issuance's signer and nonce, so a nonce signs one list only.
      ALTER TABLE records ADD COLUMN claim TEXT;
      CREATE UNIQUE INDEX records_claim ON records (claim) WHERE claim IS NOT NULL;
      -- The block time of each role change: a verdict asks whether a signer held its role when its
      -- signature was anchored, as Directory.roleHeldAt does (grants and revocations by time).
      ALTER TABLE idx_role_changes ADD COLUMN block_time INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX idx_role_changes_holder ON idx_role_changes (municipality_id, role, account, block_number, log_index);
      -- Keys a municipality's admin marked compromised (Directory.KeyCompromised): from \`since\` on,
      -- what they signed is not valid. The earliest mark counts.
      CREATE TABLE idx_compromised_keys (
        municipality_id INTEGER NOT NULL,
        account         TEXT    NOT NULL,
        since           INTEGER NOT NULL,
        block_number    INTEGER NOT NULL,
        tx_hash         TEXT    NOT NULL,
        PRIMARY KEY (municipality_id, account)
      );
      -- The words of document revocations, by their SHA-256 (what BatchAnchor.RecordRevoked holds); the
      -- text is on IPFS too (cid), so it outlives this table.
      CREATE TABLE document_revocation_reasons (
        reason_hash     TEXT    PRIMARY KEY,
        reason          TEXT    NOT NULL,
        cid             TEXT    NOT NULL
      );
      -- Officers' names as each municipality's admin published them (Directory.OfficerNamed).
      CREATE TABLE idx_officer_names (
        municipality_id INTEGER NOT NULL,
        account         TEXT    NOT NULL,
        name            TEXT    NOT NULL,
        PRIMARY KEY (municipality_id, account)
      );
      -- BatchAnchor scopes roots by municipality: two municipalities may anchor the same root, and a
      -- revocation is of a record in one municipality's batch. Both tables are keyed by municipality; the
      -- rows already indexed keep theirs (a root was anchored once, so its batch names its municipality).
      CREATE TABLE idx_batches_scoped (
        municipality_id INTEGER NOT NULL,
        root            TEXT    NOT NULL,
        record_count    INTEGER NOT NULL,
        block_number    INTEGER NOT NULL,
        log_index       INTEGER NOT NULL,
        tx_hash         TEXT    NOT NULL,
        sender          TEXT    NOT NULL,
        anchored_at     INTEGER NOT NULL,
        PRIMARY KEY (municipality_id, root)
      );
      INSERT INTO idx_batches_scoped (municipality_id, root, record_count, block_number, log_index, tx_hash, sender, anchored_at)
        SELECT municipality_id, root, record_count, block_number, log_index, tx_hash, sender, anchored_at FROM idx_batches;
      DROP TABLE idx_batches;
      ALTER TABLE idx_batches_scoped RENAME TO idx_batches;
      CREATE INDEX idx_batches_municipality ON idx_batches (municipality_id, block_number);
      CREATE TABLE idx_revocations_scoped (
        municipality_id INTEGER NOT NULL,
        root            TEXT    NOT NULL,
        leaf            TEXT    NOT NULL,
        reason_code     INTEGER NOT NULL,
        reason_hash     TEXT    NOT NULL,
        actor           TEXT    NOT NULL,
        block_number    INTEGER NOT NULL,
        log_index       INTEGER NOT NULL,
        tx_hash         TEXT    NOT NULL,
        revoked_at      INTEGER NOT NULL,
        PRIMARY KEY (municipality_id, root, leaf)
      );
      INSERT INTO idx_revocations_scoped
          (municipality_id, root, leaf, reason_code, reason_hash, actor, block_number, log_index, tx_hash, revoked_at)
        SELECT b.municipality_id, v.root, v.leaf, v.reason_code, v.reason_hash, v.actor, v.block_number, v.log_index, v.tx_hash,
               v.revoked_at
        FROM idx_revocations v JOIN idx_batches b ON b.root = v.root;
      DROP TABLE idx_revocations;
      ALTER TABLE idx_revocations_scoped RENAME TO idx_revocations;
    `,
  },
  {
    version: 8,
    description: "towns: the profile each municipality's admin published (Directory.MunicipalityProfilePublished) and its bytes",
    sql: `
      -- The latest profile each municipality published: its SHA-256 and CID, from the chain.
      CREATE TABLE idx_town_profiles (
        municipality_id INTEGER PRIMARY KEY,
        sha256          TEXT    NOT NULL,
        cid             TEXT    NOT NULL,
        block_number    INTEGER NOT NULL,
        tx_hash         TEXT    NOT NULL,
        sender          TEXT    NOT NULL
      );
      -- Profiles' bytes as read from IPFS and checked against their SHA-256: content-addressed, so they
      -- outlive a rebuild of the index (which only says which one is each town's latest).
      CREATE TABLE town_profile_documents (
        sha256          TEXT    PRIMARY KEY,
        cid             TEXT    NOT NULL,
        body            TEXT    NOT NULL,
        stored_at       INTEGER NOT NULL
      );
    `,
  },
  {
    version: 9,
    description: "complaint filings as a durable queue: accepted before they are mined, sent again after a crash",
    sql: `
      -- A filing is answered once it is accepted (its row written, its transaction signed), not once it
      -- is mined: the row keeps everything the transaction carries, so that after a crash or a dropped
      -- transaction it is sent again under the same filing id (ComplaintLedger refuses an id twice, so
      -- nothing is filed twice). state: sent (signed, tx_hash recorded before the node saw it) → mined →
      -- confirmed (the index, CONFIRMATIONS deep, holds it); refused when the chain reverted it.
      -- Rows from before this migration are all on the chain: confirmed.
      ALTER TABLE complaint_filings ADD COLUMN state TEXT NOT NULL DEFAULT 'confirmed';
      ALTER TABLE complaint_filings ADD COLUMN filing_id TEXT;
      ALTER TABLE complaint_filings ADD COLUMN category TEXT;
      ALTER TABLE complaint_filings ADD COLUMN area_code TEXT;
      ALTER TABLE complaint_filings ADD COLUMN content_hash TEXT;
      ALTER TABLE complaint_filings ADD COLUMN reporter_commitment TEXT;
      -- The sealed photo filed with it (JSON: cid, sha256, filename, mediaType), attached again to the
      -- filing transaction sent last (complaint_attachments), should it be sent again.
      ALTER TABLE complaint_filings ADD COLUMN photo TEXT;
      ALTER TABLE complaint_filings ADD COLUMN tx_hash TEXT;
      ALTER TABLE complaint_filings ADD COLUMN sent_at INTEGER;
      ALTER TABLE complaint_filings ADD COLUMN mined_block INTEGER;
      ALTER TABLE complaint_filings ADD COLUMN last_error TEXT;
      CREATE INDEX complaint_filings_open ON complaint_filings (state) WHERE state <> 'confirmed';
      CREATE INDEX complaint_filings_commitment ON complaint_filings (reporter_commitment) WHERE reporter_commitment IS NOT NULL;
    `,
  },
  {
    version: 10,
    description: "complaints: each complaint's filing id (ComplaintFiled), which names its sealed bundle on IPFS",
    sql: `
      -- The SHA-256 of the sealed bundle, whose raw-block CID it is: a copy of the ledger without this
      -- service's complaint_filings rebuilds them from it (services/complaints/filingRestore.ts).
      ALTER TABLE idx_complaints ADD COLUMN filing_id TEXT;
    `,
  },
  {
    version: 11,
    description: "personal data: the key each sealed file the database names is under, for re-sealing after a key rotation",
    sql: `
      -- The id of the vault key (privacy/keyring.ts) a sealed file on IPFS was found or re-sealed under,
      -- so the re-sealing job (services/resealing.ts) reads each file once per rotation, not every
      -- round. A cache: without it the job reads the files again.
      CREATE TABLE sealed_file_keys (
        cid             TEXT    PRIMARY KEY,
        key_id          TEXT    NOT NULL
      );
      -- Re-sealing moves every reference to a file at once, by its CID.
      CREATE INDEX permit_applications_applicant_cid ON permit_applications (applicant_cid);
      CREATE INDEX permit_files_cid ON permit_files (cid);
      CREATE INDEX complaint_attachments_cid ON complaint_attachments (cid);
      CREATE INDEX complaint_filings_photo_cid ON complaint_filings (json_extract(photo, '$.cid')) WHERE photo IS NOT NULL;
    `,
  },
];
