import { accessSync, constants, existsSync, mkdirSync, readFileSync } from "node:fs";
import type { RequestListener, Server } from "node:http";
import { join } from "node:path";
import { Wallet } from "ethers";
import pino from "pino";
import { startAnchoringEngine, type AnchoringEngine } from "./anchoring/engine.js";
import { createRequestListener } from "./app.js";
import { AnvilChain, freeLoopbackPort } from "./chain/anvil.js";
import { deployLedger, readDeployment, type LedgerDeployment } from "./chain/deploy.js";
import { checkDeploymentOnChain } from "./chain/deploymentCheck.js";
import { devAccounts, type DevAccount } from "./chain/devAccounts.js";
import { publicUrlOf, type LedgerConfig } from "./config.js";
import { LOG_SERIALIZERS, urlForLog } from "./logRedaction.js";
import { EngineError } from "./errors.js";
import { openIpfsStore } from "./ipfs/index.js";
import type { IpfsStore } from "./ipfs/types.js";
import { createLedgerServer } from "./http/clientErrors.js";
import { RelayerBudget } from "./http/relayerBudget.js";
import { DocumentService } from "./services/documents.js";
import { ServiceHealth } from "./services/health.js";
import { PersonalDataResealer } from "./services/resealing.js";
import { IssuanceAuthority } from "./services/issuance.js";
import { MunicipalityGate } from "./services/municipalities.js";
import { WorkerAnswerReader } from "./services/answerReader.js";
import type { AnswerSource } from "./services/verification.js";
import { singleFileUpload } from "./routes/documents.js";
import { verificationOn } from "./services/verificationOn.js";
import { createWorkflowContext, type WorkflowContext } from "./workflows/context.js";

const VERSION = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version as string;
const WEB_ROOTS = [new URL("../web/dist", import.meta.url).pathname, new URL("../web/shell", import.meta.url).pathname];

/** A running ledger: what `npm start` starts, and tests start the same way. */
export interface RunningLedger {
  /** Where it listens on this machine (http://localhost:PORT). */
  url: string;
  /** PUBLIC_URL, or the embedded demo's http://localhost:PORT: what officers sign in to, links and QR codes. */
  publicUrl: string;
  rpcUrl: string;
  deployment: LedgerDeployment;
  /** Set on the embedded chain only: the public development accounts of the demo. */
  devAccounts: DevAccount[] | null;
  /** Stops the HTTP server, the anchoring engine, IPFS and the chain, in that order, keeping all data. */
  stop(): Promise<void>;
}

/**
 * Starts the engines in order — data folder, chain, contracts, IPFS, store and anchoring, HTTP — and
 * stops what already started when a later one fails, so a failed start leaves nothing running.
 */
export async function startLedger(configured: LedgerConfig, log: (message: string) => void): Promise<RunningLedger> {
  requireWritable(configured.dataDir);
  const config = await withPortChosen(configured);
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: Error) => log(`stopping: ${error.message}`));
  };
  try {
    const chain = await startChain(config, log);
    stops.push(chain.stop);
    const ipfs = await openIpfs(config);
    stops.push(() => ipfs.stop());
    log(`ipfs: ${ipfs.engine === "helia" ? `Helia in this process, blocks in ${join(config.dataDir, "ipfs")}` : `Kubo at ${urlForLog(config.ipfsApiUrl)}`}`);
    const anchoring = startAnchoringEngine({
      dataDir: config.dataDir,
      rpcUrl: chain.rpcUrl,
      deployment: chain.deployment,
      relayerPrivateKey: chain.relayerKey,
      config: config.anchoring,
      relayerFees: config.relayerFees,
      durableBlock: chain.durableBlock,
      log,
    });
    stops.push(() => anchoring.stop());
    const reader = new WorkerAnswerReader(
      {
        dataDir: config.dataDir,
        chainId: chain.deployment.chainId,
        batchAnchor: chain.deployment.contracts.batchAnchor,
        permitRegistry: chain.deployment.contracts.permitRegistry,
      },
      log,
    );
    stops.push(() => reader.close());
    const workflows = workflowContext(config, chain, ipfs, anchoring, log);
    // Complaints accepted before a crash and not mined yet are sent again from here on.
    workflows.complaintFilings.start();
    stops.push(() => workflows.complaintFilings.stop());
    workflows.filingRestorer.start();
    stops.push(() => workflows.filingRestorer.stop());
    // After a key rotation, what the database names moves to the current key (services/resealing.ts).
    const { vault } = workflows;
    log(`personal data: sealing under key ${vault.currentKeyId}${vault.keyIds.length > 1 ? `, opening with ${vault.keyIds.length - 1} older key(s) too` : ""}`);
    const resealer = new PersonalDataResealer({ db: workflows.db, ipfs, vault, log });
    resealer.start();
    stops.push(() => resealer.stop());
    const server = await listen(config, buildApp(config, chain, ipfs, anchoring, reader, workflows));
    stops.push(() => closeServer(server));
    return {
      url: `http://localhost:${(server.address() as { port: number }).port}`,
      publicUrl: config.publicUrl,
      rpcUrl: chain.rpcUrl,
      deployment: chain.deployment,
      devAccounts: chain.devAccounts,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * PORT=0 means any free port: it is chosen here, before anything is built, because the embedded demo's
 * public address (http://localhost:PORT) is named in sign-in messages, links and QR codes.
 */
async function withPortChosen(config: LedgerConfig): Promise<LedgerConfig & { publicUrl: string }> {
  const port = config.port === 0 ? await freeLoopbackPort() : config.port;
  return { ...config, port, publicUrl: config.publicUrl ?? publicUrlOf(undefined, port)! };
}

interface StartedChain {
  rpcUrl: string;
  deployment: LedgerDeployment;
  relayerKey: string;
  devAccounts: DevAccount[] | null;
  durableBlock?: () => bigint;
  latestBlock: () => Promise<number>;
  stop: () => Promise<void>;
}

/**
 * The embedded anvil with the demo seed, or an external chain with the configured relayer and the
 * deployment that `npm run deploy` made there (DEPLOYMENT_FILE): the service never deploys to an
 * external chain itself, since the deploying key would become the national admin.
 */
async function startChain(config: LedgerConfig, log: (message: string) => void): Promise<StartedChain> {
  if (config.chainRpcUrl) {
    const relayerKey = await relayerKeyOf(config);
    const relayer = new Wallet(relayerKey).address;
    const deployment = readDeployment(config.deploymentFile!);
    if (deployment.chainId !== config.chainId) {
      throw new EngineError("config", `DEPLOYMENT_FILE ${config.deploymentFile} is for chain ${deployment.chainId}, but CHAIN_ID is ${config.chainId}; set CHAIN_ID=${deployment.chainId}`);
    }
    const { createProvider } = await import("./chain/client.js");
    const provider = createProvider(config.chainRpcUrl, config.chainId);
    try {
      await checkDeploymentOnChain(provider, config.chainRpcUrl, deployment, relayer);
    } catch (error) {
      provider.destroy();
      throw error;
    }
    log(`chain: external chain ${config.chainId} at ${urlForLog(config.chainRpcUrl)}, relayer ${relayer}, contracts from ${config.deploymentFile}`);
    return {
      rpcUrl: config.chainRpcUrl,
      deployment,
      relayerKey,
      devAccounts: null,
      latestBlock: () => provider.getBlockNumber(),
      stop: async () => provider.destroy(),
    };
  }
  const accounts = devAccounts();
  const anvil = new AnvilChain({ stateDir: join(config.dataDir, "chain"), chainId: config.chainId, reservedPorts: [config.port], log });
  await anvil.start();
  try {
    log(`chain: anvil at ${anvil.url} (chain id ${config.chainId}), state in ${anvil.statePath}`);
    log("WARNING: DEVELOPMENT KEYS IN USE. The embedded chain runs on anvil's public test mnemonic:");
    log("WARNING: anyone can sign as these accounts. Never keep real records on this chain.");
    const { deployment } = await deployLedger({
      rpcUrl: anvil.url,
      chainId: config.chainId,
      dataDir: config.dataDir,
      privateKeys: accounts.map((account) => account.privateKey),
      seedDemo: true,
    });
    await anvil.persist(true);
    return {
      rpcUrl: anvil.url,
      deployment,
      relayerKey: accounts.find((a) => a.role === "ledgerService")!.privateKey,
      devAccounts: accounts,
      durableBlock: () => anvil.persistedBlock,
      latestBlock: async () => Number(await anvil.blockNumber()),
      stop: () => anvil.stop(),
    };
  } catch (error) {
    await anvil.stop();
    throw error;
  }
}

async function relayerKeyOf(config: LedgerConfig): Promise<string> {
  const relayer = config.relayer!;
  if ("privateKey" in relayer) return relayer.privateKey;
  try {
    return (await Wallet.fromEncryptedJson(readFileSync(relayer.keystore, "utf8"), relayer.password)).privateKey;
  } catch (error) {
    throw new EngineError("config", `cannot open the relayer keystore ${relayer.keystore}: ${(error as Error).message}`);
  }
}

async function openIpfs(config: LedgerConfig): Promise<IpfsStore> {
  try {
    return await openIpfsStore({ dataDir: config.dataDir, kuboApiUrl: config.ipfsApiUrl });
  } catch (error) {
    throw new EngineError("ipfs", (error as Error).message.split("\n")[0]);
  }
}

/** What the permit, complaint, fund and audit workflows are built from (workflows/context.ts). */
function workflowContext(config: LedgerConfig & { publicUrl: string }, chain: StartedChain, ipfs: IpfsStore, anchoring: AnchoringEngine, log: (message: string) => void): WorkflowContext {
  return createWorkflowContext({
    db: anchoring.db,
    chain: anchoring.chain,
    ipfs,
    queue: anchoring.queue,
    catchUpIndex: () => anchoring.indexer.catchUp(),
    dataDir: config.dataDir,
    publicUrl: config.publicUrl,
    signIn: config.signIn,
    devAccounts: chain.devAccounts,
    upload: singleFileUpload(config.uploadLimitBytes),
    uploadLimitBytes: config.uploadLimitBytes,
    log,
  });
}

function buildApp(
  config: LedgerConfig,
  chain: StartedChain,
  ipfs: IpfsStore,
  anchoring: AnchoringEngine,
  reader: AnswerSource,
  workflows: WorkflowContext,
) {
  const contracts = chain.deployment.contracts;
  const verification = verificationOn(
    anchoring.db,
    anchoring.queue,
    { chainId: chain.deployment.chainId, batchAnchor: contracts.batchAnchor, permitRegistry: contracts.permitRegistry },
    reader,
  );
  // Verdicts kept from the old index are not served once a rebuilt one replaced it.
  anchoring.indexer.onRebuilt(() => verification.forgetAnswers());
  const gate = new MunicipalityGate(contracts.directory, anchoring.chain.provider);
  // Spent by residents' requests (http/relayerBudget.ts), reported by /api/health.
  const relayerBudget = new RelayerBudget(config.writeLimits.anonymousTransactionsPerHour);
  const health = new ServiceHealth({
    version: VERSION,
    deployment: chain.deployment,
    publicRpcUrl: config.publicRpcUrl ?? chain.rpcUrl,
    external: config.chainRpcUrl !== undefined,
    devKeys: chain.devAccounts !== null,
    latestBlock: chain.latestBlock,
    anchoring,
    ipfs,
    monitoring: config.monitoring,
    relayerBudget,
  });
  return createRequestListener({
    documents: new DocumentService(
      ipfs,
      anchoring.queue,
      gate,
      new IssuanceAuthority({
        chainId: chain.deployment.chainId,
        batchAnchor: contracts.batchAnchor,
        directory: contracts.directory,
        provider: anchoring.chain.provider,
      }),
    ),
    verification,
    queue: anchoring.queue,
    ipfs,
    health: () => health.report(),
    logger: pino({ level: config.logLevel, serializers: LOG_SERIALIZERS }),
    uploadLimitBytes: config.uploadLimitBytes,
    writeLimits: config.writeLimits.perClient,
    relayerBudget,
    webRoot: WEB_ROOTS.find((root) => existsSync(root))!,
    version: VERSION,
    workflows,
  });
}

async function listen(config: LedgerConfig, listener: RequestListener): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createLedgerServer(listener).listen(config.port);
    server.once("listening", () => resolve(server));
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        new EngineError(
          "http",
          error.code === "EADDRINUSE"
            ? `port ${config.port} is already in use; set PORT to another port`
            : `cannot listen on port ${config.port}: ${error.message}`,
        ),
      );
    });
  });
}

async function closeServer(server: Server): Promise<void> {
  server.closeIdleConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

function requireWritable(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK);
  } catch {
    throw new EngineError("config", `the data folder ${dataDir} is not writable; set DATA_DIR to a folder this user can write`);
  }
}
