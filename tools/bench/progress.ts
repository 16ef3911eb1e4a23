/**
 * Progress on stderr: a bar redrawn in place when stderr is a terminal
 * (`[#####.....] 52% 52000/100000 12000/s`), otherwise one line per 10%.
 */
export class Progress {
  private readonly started = Date.now();
  private lastDraw = 0;
  private lastDecile = -1;
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  update(done: number): void {
    const fraction = this.total ? Math.min(1, done / this.total) : 1;
    const elapsed = Math.max(0.001, (Date.now() - this.started) / 1000);
    const rate = Math.round(done / elapsed);
    const percent = Math.floor(fraction * 100);
    const line = `${this.label} [${'#'.repeat(Math.round(fraction * 20)).padEnd(20, '.')}] ${String(percent).padStart(3)}% ${done}/${this.total} ${rate}/s`;
    if (this.tty) {
      const now = Date.now();
      if (now - this.lastDraw < 100 && done < this.total) return;
      this.lastDraw = now;
      process.stderr.write(`\r${line}\x1b[K`);
      if (done >= this.total) process.stderr.write('\n');
      return;
    }
    const decile = Math.floor(fraction * 10);
    if (decile > this.lastDecile) {
      this.lastDecile = decile;
      process.stderr.write(`${line}\n`);
    }
  }
}
