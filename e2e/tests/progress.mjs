// The progress-bar cell for golit, written against the display package's API
// (display.NewProgress, Add, Close in display/progress.go).
import fs from 'node:fs';
import path from 'node:path';

/**
 * Returns the Go cell that drives a progress bar through 200 steps over about
 * two seconds, or null when the display package has no progress bar yet.
 * maxOutputs is how many outputs the cell may show; finalWant matches its last
 * rendering.
 */
export function progressCode(root) {
  const dir = path.join(root, 'display');
  const src = fs.existsSync(dir)
    ? fs.readdirSync(dir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n')
    : '';
  if (!/func NewProgress\(total int, desc string\) \*Progress/.test(src)) return null;
  return {
    source:
      'bar := display.NewProgress(200, "e2e steps")\n' +
      'for i := 0; i < 200; i++ {\n' +
      '\ttime.Sleep(10 * time.Millisecond)\n' +
      '\tbar.Add(1)\n' +
      '}\n' +
      'bar.Close()\n',
    maxOutputs: 1,
    finalWant: /200\/200/,
  };
}
