/** What the CLI touches outside itself, injected so tests run it in-process. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** The environment (main.ts passes process.env; nothing else in the CLI reads it). */
  env: Record<string, string | undefined>;
  /** HTTP for client commands (default: global fetch). */
  fetch?: typeof fetch;
  /** Where relative file paths resolve (default: process.cwd()). */
  cwd?: string;
  /** Standard input, for secrets passed as `-` (main.ts passes process.stdin). */
  stdin?: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
}

/** A failure the user caused and can fix from the message: printed without a stack. */
export class CliError extends Error {
  /** 1: the operation failed; 2: the command line or the client settings are wrong. */
  readonly exitCode: 1 | 2;
  constructor(message: string, exitCode: 1 | 2 = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
