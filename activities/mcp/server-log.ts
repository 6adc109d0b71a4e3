// What a stdio server writes on stderr (its diagnostics), kept per server in a bounded
// buffer with secrets redacted, for `mcp_list_servers` to show on request. Unread, a
// piped stderr would be lost (and a chatty server could fill the pipe and stall).
import type { Stream } from 'node:stream';
import { redact } from '../../infra/logger.ts';

const MAX_LINES = 40;
const MAX_LINE_CHARS = 300;

export class ServerLog {
  private readonly lines: string[] = [];
  private partial = '';

  /** Reads a child's stderr until it ends. */
  follow(stream: Stream | null): void {
    stream?.on('data', (chunk: Buffer | string) => this.write(String(chunk)));
  }

  write(text: string): void {
    const parts = (this.partial + text).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    if (this.partial.length > MAX_LINE_CHARS) {
      parts.push(this.partial);
      this.partial = '';
    }
    for (const line of parts) this.add(line);
  }

  /** A line of our own (connection events), beside the server's. */
  note(line: string): void {
    this.add(`[jobs] ${line}`);
  }

  private add(line: string): void {
    if (!line.trim()) return;
    const cut = line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line;
    this.lines.push(redact(cut));
    if (this.lines.length > MAX_LINES) this.lines.splice(0, this.lines.length - MAX_LINES);
  }

  tail(count = MAX_LINES): string[] {
    return this.lines.slice(-count);
  }
}
