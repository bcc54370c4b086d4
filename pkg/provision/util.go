package provision

import (
	"bufio"
	"bytes"
	"net/url"
	"regexp"
)

var clientIDRE = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)

func newBufReader(b []byte) *bufio.Reader { return bufio.NewReader(bytes.NewReader(b)) }

func absoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && u.Host != ""
}
