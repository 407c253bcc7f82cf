module github.com/golit/golit

// The oldest Go that builds golit: interp/gostd uses Go 1.26 API (slog.MultiHandler, http.ClientConn).
go 1.26.0

require (
	github.com/go-zeromq/zmq4 v0.17.0
	github.com/google/uuid v1.6.0
	github.com/traefik/yaegi v0.16.1
	golang.org/x/text v0.15.0
)

require (
	github.com/go-zeromq/goczmq/v4 v4.2.2 // indirect
	golang.org/x/exp v0.0.0-20261120182113-8801fbdfac81 // indirect
	golang.org/x/sync v0.25.0 // indirect
)
