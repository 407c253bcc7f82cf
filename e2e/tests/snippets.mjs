// The cells the browser tests type, per kernel. golit is what CI tests;
// python3 (ipykernel) exists only so that the browser flows themselves can be
// checked against a known-good kernel (GOLIT_E2E_KERNEL=python3 bash e2e/run.sh).

/** Go cells for golit. */
const golit = {
  displayName: 'Go (golit)',
  setup: 'import (\n\t"fmt"\n\t"strings"\n\t"sync"\n\t"time"\n\n\t"golit/display"\n)\n',
  setupCheck: 'fmt.Println(strings.ToUpper("ready"), time.Second > 0, display.InKernel())',
  setupWant: /READY true true/,
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
    'display.ShowBundle(display.Bundle{\n' +
    '\t"text/html":  "<table class=\\"e2e-table\\"><tr><th>n</th><th>n*n</th></tr><tr><td>2</td><td>4</td></tr><tr><td>3</td><td>9</td></tr></table>",\n' +
    '\t"text/plain": "a table of squares",\n' +
    '})\n',
  completePrefix: 'strings.',
  completeWant: 'Split',
  inspect: 'strings.Split',
  inspectWant: /Split/,
  inspectDocWant: /func Split|split|substring|separat/i,
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
  setupCheck: 'print("READY", True, True)',
  setupWant: /READY True True/,
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
  completePrefix: 'str.',
  completeWant: 'split',
  inspect: 'str.split',
  inspectWant: /split/,
  inspectDocWant: /Return a list|substrings|separator/i,
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
