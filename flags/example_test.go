package flags_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/golit/golit/flags"
)

// Download one flag and its metadata from a local server.
func ExampleStart() {
	srv := flags.Start(flags.LocalMode())
	defer srv.Close()

	resp, err := http.Get(srv.FlagURL("BR"))
	if err != nil {
		panic(err)
	}
	gif, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"), string(gif[:6]))

	resp, _ = http.Get(srv.MetadataURL("BR"))
	var meta flags.Metadata
	json.NewDecoder(resp.Body).Decode(&meta)
	resp.Body.Close()
	fmt.Println(meta.Country)

	resp, _ = http.Get(srv.FlagURL("ZZ"))
	resp.Body.Close()
	fmt.Println(resp.StatusCode)
	// Output:
	// 200 image/gif GIF89a
	// Brazil
	// 404
}

// With an error rate, some requests fail with the configured status;
// with a seed, the same ones fail every run.
func ExampleErrorMode() {
	opts := flags.ErrorMode()
	opts.MinDelay, opts.MaxDelay = 0, 0 // keep the example fast
	opts.Seed = 2017
	srv := flags.Start(opts)
	defer srv.Close()
	for _, cc := range flags.POP20 {
		resp, err := http.Get(srv.FlagURL(cc))
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
	}
	st := srv.Stats()
	fmt.Println(st.OK+st.Errors, "requests;", "errors are 418:", st.Errors > 0 && st.Errors < 20)
	// Output:
	// 20 requests; errors are 418: true
}
