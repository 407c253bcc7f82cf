// Package flags is a local stand-in for the web server of the classic
// "download flags" exercise of Fluent Python, so the workshop needs no
// internet.
//
// It serves, for about 200 countries (ISO 3166-1 alpha-2 codes), a small
// flag image generated on the fly and a metadata document with the
// country's name, at the paths the book's scripts use:
//
//	srv := flags.Start(flags.DelayMode()) // or LocalMode(), ErrorMode(), Options{...}
//	defer srv.Close()
//	resp, err := http.Get(srv.BaseURL + "/br/br.gif")      // srv.FlagURL("BR")
//	resp, err = http.Get(srv.BaseURL + "/br/metadata.json") // srv.MetadataURL("BR")
//
// Codes that are not countries get 404 Not Found (AllPairs lists the 676
// codes AA..ZZ, about 200 of which exist, for the book's -e run). The
// server can be made slow and unreliable on purpose, like the book's
// DELAY and ERROR servers: Options set a latency drawn uniformly between
// MinDelay and MaxDelay, an ErrorRate of server errors (418 I'm a teapot by
// default, or ErrorStatus such as 500 or 503), and a Seed for repeatable
// runs. Stats counts what was served.
//
// The flag images are 120x80 GIFs (or PNGs), drawn from a one-line
// description per country: stripes, discs, stars, crosses and triangles.
// They look like the flags without claiming to be exact; the 20 most
// populous countries (POP20) are drawn most carefully.
//
// # From the book's setup to flags
//
//	Fluent Python                               flags
//	-----------------------------------------   ------------------------------------------
//	nginx / python3 -m http.server (LOCAL)      flags.Start(flags.LocalMode())
//	slow_server.py, 0.5-5 s delay (DELAY)       flags.Start(flags.DelayMode())   (0.1-1 s)
//	slow_server.py --error-rate .25 (ERROR)     flags.Start(flags.ErrorMode())   (418, 25%)
//	BASE_URL = 'http://localhost:8001/flags'    srv.BaseURL
//	f'{BASE_URL}/{cc}/{cc}.gif'                 srv.FlagURL(cc)
//	f'{BASE_URL}/{cc}/metadata.json'            srv.MetadataURL(cc)
//	POP20_CC                                    flags.POP20
//	-a (all country codes), -e (AA..ZZ)         flags.Codes(), flags.AllPairs()
//
// The service is an ordinary http.Handler (Handler), so compiled programs
// and tests can mount it anywhere; cmd/flagserver runs it from a shell.
package flags
