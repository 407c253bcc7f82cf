package interp

import "testing"

const zzServer = `import "github.com/golit/golit/eventloop"
func serveLoop(ln net.Listener) (any, error) {
	return eventloop.New(eventloop.Options{NoDeadlockCheck: true}).Run(func(l *eventloop.Loop) (any, error) {
		served := 0
		for {
			c, err := l.ToThread(func() (any, error) { return ln.Accept() })
			if err != nil {
				return served, nil
			}
			served++
			conn := c.(net.Conn)
			l.CreateTask(func() (any, error) {
				defer conn.Close()
				r := bufio.NewReader(conn)
				for {
					if _, err := l.ToThread(func() (any, error) { return conn.Write([]byte("?> ")) }); err != nil {
						return nil, err
					}
					line, err := l.ToThread(func() (any, error) { return r.ReadString('\n') })
					query := strings.TrimSpace(fmt.Sprint(line))
					if err != nil || query == "" {
						return nil, nil
					}
					answer := []byte(strings.ToUpper(query) + "\n")
					if _, err := l.ToThread(func() (any, error) { return conn.Write(answer) }); err != nil {
						return nil, err
					}
				}
			})
		}
	})
}
func ask(addr string, q string) (string, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(conn)
	prompt := make([]byte, 3)
	out := ""
	for k := 0; k < 3; k++ {
		if _, err := io.ReadFull(r, prompt); err != nil {
			return out, err
		}
		fmt.Fprintln(conn, q)
		line, err := r.ReadString('\n')
		if err != nil {
			return out, err
		}
		out += strings.TrimSpace(line)
	}
	fmt.Fprintln(conn)
	return out, nil
}
loopLn, _ := net.Listen("tcp", "127.0.0.1:0")
loopDone := make(chan any, 1)
go func() { n, _ := serveLoop(loopLn); loopDone <- n }()
var wg sync.WaitGroup
var mu sync.Mutex
bad := 0
for i := 0; i < 20; i++ {
	wg.Add(1)
	go func() {
		defer wg.Done()
		q := fmt.Sprint("q", i)
		got, err := ask(loopLn.Addr().String(), q)
		want := strings.Repeat(strings.ToUpper(q), 3)
		if err != nil || got != want {
			mu.Lock()
			bad++
			mu.Unlock()
			fmt.Println("client", i, got, err)
		}
	}()
}
wg.Wait()
loopLn.Close()
fmt.Println("bad", bad, "served", <-loopDone)
`

func TestZZScratch(t *testing.T) {
	s := newSession(t)
	for _, c := range []string{zzEL} {
		s.io.reset()
		r := s.run(c)
		if r.Err != nil { t.Logf("%q -> %+v out=%q", c, *r.Err, s.io.out()) } else { t.Logf("ok out=%q", s.io.out()) }
	}
}

const zzLoop3 = `

func toThread(f func() (any, error)) (any, error) {
	ch := make(chan any)
	go func() {
		v, err := f()
		_ = err
		ch <- v
	}()
	r := <-ch
	return r, nil
}

func zzmain() {
	var tasks []func() (any, error)
	i := 0
	for {
		if i == 10 {
			break
		}
		c, _ := toThread(func() (any, error) { return i, nil })
		i++
		conn := c.(int)
		tasks = append(tasks, func() (any, error) {
			bad := 0
			for k := 0; k < 20; k++ {
				v, _ := toThread(func() (any, error) { return conn, nil })
				ans := v.(int) * 100
				w, _ := toThread(func() (any, error) { time.Sleep(time.Millisecond); return ans, nil })
				if w.(int) != conn*100 {
					bad++
				}
			}
			return bad, nil
		})
	}
	var wg sync.WaitGroup
	res := make([]any, len(tasks))
	for j := range tasks {
		wg.Add(1)
		go func(j int) { defer wg.Done(); res[j], _ = tasks[j]() }(j)
	}
	wg.Wait()
	fmt.Println(res...)
}

zzmain()
`

const zzEL = `import "github.com/golit/golit/eventloop"
func zz() (any, error) {
	return eventloop.New(eventloop.Options{NoDeadlockCheck: true}).Run(func(l *eventloop.Loop) (any, error) {
		var ts []*eventloop.Task
		i := 0
		for i < 10 {
			c, _ := l.ToThread(func() (any, error) { return i, nil })
			i++
			conn := c.(int)
			ts = append(ts, l.CreateTask(func() (any, error) {
				bad := 0
				for k := 0; k < 20; k++ {
					v, _ := l.ToThread(func() (any, error) { time.Sleep(time.Millisecond); return conn, nil })
					if v.(int) != conn {
						bad++
					}
				}
				return fmt.Sprint(conn, ":", bad), nil
			}))
		}
		return l.Gather(ts...)
	})
}
fmt.Println(zz())
`
