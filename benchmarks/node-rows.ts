// The rows a Node-side benchmark script adds to `npm run bench`'s table: collected here and printed
// as JSON on the last line of stdout, where benchmarks/run.js picks them up (logs go to stderr).
export interface Row { metric: string; tabwise: string; transformers: string; ratio: string; target: string; met: string }

export class NodeRows {
  readonly rows: Row[] = [];

  add(metric: string, value: string, { ratio = '—', target = '—', met = '—' }: { ratio?: string; target?: string; met?: string } = {}): void {
    this.rows.push({ metric, tabwise: value, transformers: '—', ratio, target, met });
  }

  print(): void {
    console.log(JSON.stringify(this.rows));
  }
}
