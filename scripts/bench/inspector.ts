import { writeFileSync } from "node:fs";

/**
 * CPU profiles of the service child over a chosen window, through the V8 inspector it opens when
 * started with `--inspect=127.0.0.1:0` (the address is in its output). Unlike `--cpu-prof`, which
 * profiles the whole life of the process, this covers exactly one phase.
 */
export class InspectorSession {
  readonly #socket: WebSocket;
  readonly #pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  #nextId = 1;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
      if (message.id === undefined) return;
      const waiter = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(message.error.message));
      else waiter?.resolve(message.result);
    });
  }

  /** Connects to the inspector whose `ws://` address appears in `output`. */
  static async connect(output: string): Promise<InspectorSession> {
    const url = output.match(/Debugger listening on (ws:\/\/\S+)/)?.[1];
    if (!url) throw new Error("the service did not open an inspector (no \"Debugger listening on\" in its output)");
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener("open", () => resolve(), { once: true });
      socket.addEventListener("error", () => reject(new Error(`cannot connect to ${url}`)), { once: true });
    });
    const session = new InspectorSession(socket);
    await session.call("Profiler.enable");
    await session.call("Profiler.setSamplingInterval", { interval: 500 });
    return session;
  }

  call<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#socket.send(JSON.stringify({ id, method, params }));
    });
  }

  async startProfile(): Promise<void> {
    await this.call("Profiler.start");
  }

  /** Stops the profile and writes it to `file` (a .cpuprofile, readable by Chrome DevTools). */
  async stopProfile(file: string): Promise<void> {
    const { profile } = await this.call<{ profile: unknown }>("Profiler.stop");
    writeFileSync(file, JSON.stringify(profile));
  }

  close(): void {
    this.#socket.close();
  }
}
