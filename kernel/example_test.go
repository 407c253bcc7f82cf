package kernel_test

import (
	"fmt"

	"github.com/golit/golit/kernel"
)

// A Signer signs the four JSON frames of a message with the connection
// file's key, and ParseMessage checks the signature before anything else.
func ExampleParseMessage() {
	signer, err := kernel.NewSigner("hmac-sha256", []byte("the key from the connection file"))
	if err != nil {
		panic(err)
	}
	header := []byte(`{"msg_id":"1","session":"s","username":"u","date":"","msg_type":"kernel_info_request","version":"5.4"}`)
	frames := signer.Encode([][]byte{[]byte("client-id")}, header, nil, nil, nil, nil)

	m, err := kernel.ParseMessage(frames, signer)
	fmt.Println(m.Header.MsgType, string(m.Identities[0]), err)

	// The same frames with another key are rejected.
	other, _ := kernel.NewSigner("hmac-sha256", []byte("a guess"))
	_, err = kernel.ParseMessage(frames, other)
	fmt.Println(err)
	// Output:
	// kernel_info_request client-id <nil>
	// invalid signature
}

// Endpoint turns a connection file's transport, ip and port into the
// address a socket binds.
func ExampleConnectionInfo_Endpoint() {
	info, err := kernel.ParseConnectionInfo([]byte(`{"transport": "tcp", "ip": "127.0.0.1", "shell_port": 53794, "key": "k"}`))
	if err != nil {
		panic(err)
	}
	fmt.Println(info.Endpoint(info.ShellPort), info.SignatureScheme)

	ipc, _ := kernel.ParseConnectionInfo([]byte(`{"transport": "ipc", "ip": "kernel-1234", "shell_port": 1}`))
	fmt.Println(ipc.Endpoint(ipc.ShellPort))
	// Output:
	// tcp://127.0.0.1:53794 hmac-sha256
	// ipc://kernel-1234-1
}
