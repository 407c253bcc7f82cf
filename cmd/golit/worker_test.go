package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestWorkerProtocol drives `golit worker` as a process pool does: the
// notebook's declarations, then calls by name with JSON arguments.
func TestWorkerProtocol(t *testing.T) {
	decls := "import \"fmt\"\n" +
		"func isPrime(n int) bool {\n\tif n < 2 {\n\t\treturn false\n\t}\n\tfor i := 2; i*i <= n; i++ {\n\t\tif n%i == 0 {\n\t\t\treturn false\n\t\t}\n\t}\n\treturn true\n}\n" +
		"func boom(s string) string { panic(\"no \" + s) }\n" +
		"func div(a, b int) (int, error) {\n\tif b == 0 {\n\t\treturn 0, fmt.Errorf(\"division by zero\")\n\t}\n\treturn a / b, nil\n}\n"
	first, _ := json.Marshal(map[string]string{"decls": decls})
	in := string(first) + "\n" +
		`{"id":1,"func":"isPrime","args":[97]}` + "\n" +
		`{"id":2,"func":"boom","args":["x"]}` + "\n" +
		`{"id":3,"func":"div","args":[7,0]}` + "\n" +
		`{"id":4,"func":"div","args":[7,2]}` + "\n" +
		`{"id":5,"func":"nosuch","args":[]}` + "\n"
	var out bytes.Buffer
	if code := serveWorker(strings.NewReader(in), &out); code != 0 {
		t.Fatalf("exit code %d, output %s", code, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 6 {
		t.Fatalf("got %d lines:\n%s", len(lines), out.String())
	}
	if lines[0] != `{"ready":true}` {
		t.Errorf("first line = %s, want ready", lines[0])
	}
	type reply struct {
		ID     int
		Result any
		Error  string
		Panic  string
	}
	want := []reply{
		{ID: 1, Result: true},
		{ID: 2, Panic: "no x"},
		{ID: 3, Error: "division by zero"},
		{ID: 4, Result: 3.0},
	}
	for i, w := range want {
		var got reply
		if err := json.Unmarshal([]byte(lines[i+1]), &got); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if got != w {
			t.Errorf("line %d = %+v, want %+v", i+1, got, w)
		}
	}
	if !strings.Contains(lines[5], `"id":5`) || !strings.Contains(lines[5], "nosuch") {
		t.Errorf("unknown function: %s", lines[5])
	}
}
