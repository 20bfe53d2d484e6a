import type { CliIo } from './cli-context.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface Progress {
  start(text: string): void;
  stop(): void;
}

/** A one-line spinner on a terminal; nothing at all when output is piped or `enabled` is false. */
export function createProgress(io: CliIo, enabled = true): Progress {
  const tty = enabled && Boolean(io.stdout.isTTY);
  let timer: NodeJS.Timeout | undefined;
  let frame = 0;
  return {
    start(text) {
      if (!tty) return;
      this.stop();
      const draw = () => io.stdout.write(`\r${FRAMES[frame++ % FRAMES.length]} ${text}…`);
      draw();
      timer = setInterval(draw, 80);
    },
    stop() {
      if (!timer) return;
      clearInterval(timer);
      timer = undefined;
      io.stdout.write('\r\u001B[K');
    },
  };
}
