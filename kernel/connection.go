package kernel

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"strconv"
)

// ConnectionInfo is the content of a Jupyter connection file: where the
// five sockets listen and how messages are signed.
type ConnectionInfo struct {
	Transport       string `json:"transport"` // "tcp" or "ipc"
	IP              string `json:"ip"`        // an address for tcp, a path prefix for ipc
	ShellPort       int    `json:"shell_port"`
	ControlPort     int    `json:"control_port"`
	StdinPort       int    `json:"stdin_port"`
	IOPubPort       int    `json:"iopub_port"`
	HBPort          int    `json:"hb_port"`
	Key             string `json:"key"`
	SignatureScheme string `json:"signature_scheme"`
	KernelName      string `json:"kernel_name,omitempty"`
}

// ReadConnectionFile reads and checks the connection file at path.
func ReadConnectionFile(path string) (ConnectionInfo, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return ConnectionInfo{}, err
	}
	info, err := ParseConnectionInfo(data)
	if err != nil {
		return ConnectionInfo{}, fmt.Errorf("connection file %s: %w", path, err)
	}
	return info, nil
}

// ParseConnectionInfo parses a connection file's JSON, filling in the
// protocol's defaults (transport tcp, ip 127.0.0.1, hmac-sha256).
func ParseConnectionInfo(data []byte) (ConnectionInfo, error) {
	var info ConnectionInfo
	if err := json.Unmarshal(data, &info); err != nil {
		return info, err
	}
	if info.Transport == "" {
		info.Transport = "tcp"
	}
	if info.SignatureScheme == "" {
		info.SignatureScheme = "hmac-sha256"
	}
	switch info.Transport {
	case "tcp":
		if info.IP == "" {
			info.IP = "127.0.0.1"
		}
	case "ipc":
		if info.IP == "" {
			info.IP = "kernel-ipc"
		}
	default:
		return info, fmt.Errorf("unsupported transport %q (want tcp or ipc)", info.Transport)
	}
	for _, p := range []int{info.ShellPort, info.ControlPort, info.StdinPort, info.IOPubPort, info.HBPort} {
		if p < 0 || p > 65535 {
			return info, fmt.Errorf("port %d out of range", p)
		}
	}
	if _, err := NewSigner(info.SignatureScheme, nil); err != nil {
		return info, err
	}
	return info, nil
}

// Endpoint returns the ZeroMQ endpoint for port: "tcp://ip:port", or for
// ipc "ipc://ip-port" (the file path Jupyter uses).
func (c ConnectionInfo) Endpoint(port int) string {
	if c.Transport == "ipc" {
		return "ipc://" + c.IP + "-" + strconv.Itoa(port)
	}
	host := c.IP
	if host == "*" {
		host = "0.0.0.0"
	}
	return "tcp://" + net.JoinHostPort(host, strconv.Itoa(port))
}
