/**
 * Makes writes to `stream` block when it is a pipe, as they already do on a terminal or a file.
 * A pipe's reader (a script, `| jq`, a test harness) takes output more slowly than a long list is
 * made: Node then queues the rest and writes it a few kilobytes per event-loop turn, which cost
 * 25-30 ms of CPU per 5 MB (`meetings list --json` on 10,000 meetings) on top of the writing.
 * Blocking, the kernel waits for the reader instead. Node offers this only on the stream's
 * handle (its TTY streams do the same); a stream without one (tests) is left as it is.
 */
export function blockPipedOutput(stream: NodeJS.WritableStream): void {
  const handle = (stream as { _handle?: { setBlocking?: (blocking: boolean) => number } })._handle;
  handle?.setBlocking?.(true);
}
