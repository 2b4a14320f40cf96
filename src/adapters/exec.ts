import { UserError } from '../core/errors.js';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdin?: string;
  /** Each non-empty output line as it arrives (build and push progress in the log); omitted: nothing is echoed. */
  output?: (line: string) => void;
  /** The error when the program cannot start at all (not installed, not on PATH). */
  missing: (error: Error) => UserError;
}

/** Runs a tool (docker, helm) without a shell; stdin is closed after `stdin` is written (secrets go there, never argv). */
export async function execTool(binary: string, args: string[], options: ExecOptions): Promise<ExecResult> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(binary, args, { cwd: options.cwd, env: options.env, stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const forward = (chunk: Buffer, into: 'out' | 'err') => {
      const text = chunk.toString('utf8');
      if (into === 'out') stdout += text;
      else stderr += text;
      if (options.output) for (const line of text.split('\n')) if (line.trim()) options.output(line);
    };
    child.stdout!.on('data', chunk => forward(chunk, 'out'));
    child.stderr!.on('data', chunk => forward(chunk, 'err'));
    child.on('error', error => reject(options.missing(error)));
    child.on('close', code => resolvePromise({ code: code ?? -1, stdout, stderr }));
    if (child.stdin) {
      // A tool that exits without reading its input (a wrong password, a usage error) closes the pipe: what it
      // printed and its exit code say why, not the EPIPE of the write.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.stdin);
    }
  });
}
