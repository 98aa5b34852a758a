// A Vault API client on Go's crypto/tls and net/http, configured as the vault CLI and
// vault-ssh-helper configure theirs: VAULT_ADDR, VAULT_CACERT (vault-ssh-helper's ca_cert),
// VAULT_CLIENT_CERT and VAULT_CLIENT_KEY, TLS 1.2 at least, the server's certificate verified
// against the CA and the address. It makes one request and prints the status and the body.
//
//	go run go_vault_client.go METHOD PATH [JSON]
package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: go_vault_client METHOD PATH [JSON]")
		os.Exit(2)
	}
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if ca := os.Getenv("VAULT_CACERT"); ca != "" {
		pem, err := os.ReadFile(ca)
		if err != nil {
			fail(err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			fail(fmt.Errorf("no certificate in %s", ca))
		}
		tlsConfig.RootCAs = pool
	}
	if cert := os.Getenv("VAULT_CLIENT_CERT"); cert != "" {
		pair, err := tls.LoadX509KeyPair(cert, os.Getenv("VAULT_CLIENT_KEY"))
		if err != nil {
			fail(err)
		}
		tlsConfig.Certificates = []tls.Certificate{pair}
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: tlsConfig}}
	var body io.Reader
	if len(os.Args) > 3 {
		body = strings.NewReader(os.Args[3])
	}
	req, err := http.NewRequest(os.Args[1], strings.TrimSuffix(os.Getenv("VAULT_ADDR"), "/")+"/v1/"+os.Args[2], body)
	if err != nil {
		fail(err)
	}
	if token := os.Getenv("VAULT_TOKEN"); token != "" {
		req.Header.Set("X-Vault-Token", token)
	}
	resp, err := client.Do(req)
	if err != nil {
		fail(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		fail(err)
	}
	fmt.Printf("%d %s %s\n", resp.StatusCode, tlsName(resp.TLS), strings.TrimSpace(string(out)))
}

func tlsName(state *tls.ConnectionState) string {
	if state == nil {
		return "plain"
	}
	switch state.Version {
	case tls.VersionTLS13:
		return "TLS1.3"
	case tls.VersionTLS12:
		return "TLS1.2"
	}
	return fmt.Sprintf("TLS-%x", state.Version)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
