// The cells the browser tests type, per kernel. golit is what CI tests;
// python3 (ipykernel) exists only so that the browser flows themselves can be
// checked against a known-good kernel (GOLIT_E2E_KERNEL=python3 bash e2e/run.sh).

/** Go cells for golit. */
const golit = {
  displayName: 'Go (golit)',
  setup: 'import (\n\t"fmt"\n\t"strings"\n\t"sync"\n\t"time"\n\n\t"github.com/golit/golit/chart"\n\t"github.com/golit/golit/display"\n)\n',
  setupCheck: 'fmt.Println(strings.ToUpper("ready"), time.Second > 0, display.InKernel(), chart.NewComparison("x").Len())',
  setupWant: /READY true true 0/,
  highlight: 'func square(x int) int {\n\treturn x * x\n}\n',
  keywords: ['func', 'return'],
  // Five goroutines, each printing once, 0.4 s apart: 2 s in all.
  live:
    'var wg sync.WaitGroup\n' +
    'for i := 1; i <= 5; i++ {\n' +
    '\twg.Add(1)\n' +
    '\tgo func(n int) {\n' +
    '\t\tdefer wg.Done()\n' +
    '\t\ttime.Sleep(time.Duration(n) * 400 * time.Millisecond)\n' +
    '\t\tfmt.Println("live line", n)\n' +
    '\t}(i)\n' +
    '}\n' +
    'wg.Wait()\n',
  // Filled in by progressCode() from the display package's API.
  progress: null,
  rich:
    'display.Show(display.Table([]string{"n", "n*n"}, [][]any{{2, 4}, {3, 9}}))\n',
  chart:
    'display.Show(chart.NewComparison("e2e speedup").Add("sequential", 2.0).Add("goroutines", 0.5))\n',
  completePrefix: 'strings.',
  completeWant: 'Split',
  inspect: 'strings.Split',
  inspectWant: /Split/,
  inspectDocWant: /func Split|split|substring|separat/i,
  // A help line after a print: the page payload shows below the output.
  help: 'fmt.Println("before help")\n?strings.Split\n',
  helpWant: /Split slices s into all substrings separated by sep/,
  loop: 'for {\n}\n',
  afterLoop: 'fmt.Println("after", "interrupt")\n',
  afterLoopWant: /after interrupt/,
  define: 'restartProbe := 42\nfmt.Println("probe", restartProbe)\n',
  defineWant: /probe 42/,
  use: 'fmt.Println("probe", restartProbe)\n',
  useWant: /undefined.*restartProbe|restartProbe.*undefined/i,
  stdin: 'var s string\nfmt.Scanln(&s)\nfmt.Println("got", s)\n',
  stdinWant: /got gopher/,
};

/** Python cells for ipykernel, the stand-in used to develop the flows. */
const python3 = {
  displayName: 'Python 3 (ipykernel)',
  setup: 'import threading, time\nfrom IPython.display import display, HTML\n',
  setupCheck: 'print("READY", True, True, 0)',
  setupWant: /READY True True 0/,
  highlight: 'def square(x):\n    return x * x\n',
  keywords: ['def', 'return'],
  live:
    'def w(n):\n    time.sleep(n * 0.4)\n    print("live line", n, flush=True)\n' +
    'ts = [threading.Thread(target=w, args=(i,)) for i in range(1, 6)]\n' +
    'for t in ts: t.start()\n' +
    'for t in ts: t.join()\n',
  progress:
    'h = display(HTML("<progress value=0 max=100></progress> 0%"), display_id=True)\n' +
    'for i in range(1, 101):\n    time.sleep(0.02)\n    h.update(HTML(f"<progress value={i} max=100></progress> {i}%"))\n',
  rich:
    'display(HTML("<table class=\\"e2e-table\\"><tr><th>n</th><th>n*n</th></tr><tr><td>2</td><td>4</td></tr><tr><td>3</td><td>9</td></tr></table>"))\n',
  chart:
    'from IPython.display import SVG\ndisplay(SVG(\'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60"><rect x="0" y="0" width="160" height="20" fill="#36c"/><rect x="0" y="30" width="40" height="20" fill="#3a3"/></svg>\'))\n',
  completePrefix: 'str.',
  completeWant: 'split',
  inspect: 'str.split',
  inspectWant: /split/,
  inspectDocWant: /Return a list|substrings|separator/i,
  help: 'print("before help")\nstr.split?\n',
  helpWant: /Return a list of the substrings/,
  loop: 'while True:\n    pass\n',
  afterLoop: 'print("after", "interrupt")\n',
  afterLoopWant: /after interrupt/,
  define: 'restartProbe = 42\nprint("probe", restartProbe)\n',
  defineWant: /probe 42/,
  use: 'print("probe", restartProbe)\n',
  useWant: /NameError/,
  stdin: 's = input()\nprint("got", s)\n',
  stdinWant: /got gopher/,
};

/** Returns the snippets for the kernelspec name under test. */
export function snippetsFor(kernel) {
  if (kernel === 'golit') return golit;
  if (kernel === 'python3') return python3;
  throw new Error(`no snippets for kernel ${kernel}`);
}
